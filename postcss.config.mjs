// Tailwind v4 runs as a PostCSS plugin; its design tokens live in app/globals.css (`@theme`), not in a JS config.
const config = {
  plugins: {
    '@tailwindcss/postcss': {},
  },
};

export default config;
