const recordCommands = [
  'kubectl get pods -n NAMESPACE -w --output-watch-events -o json > pods.jsonl',
  'kubectl get endpointslices -n NAMESPACE -w --output-watch-events -o json > endpointslices.jsonl',
  'kubectl get events -n NAMESPACE -w --output-watch-events -o json > events.jsonl',
].join('\n');

const analyzeCommand = 'npx drainscope analyze pods.jsonl endpointslices.jsonl events.jsonl';

function CommandBlock({ label, command }: { label: string; command: string }) {
  return (
    <figure className="space-y-2">
      <figcaption className="text-sm font-medium text-fg-muted">{label}</figcaption>
      <pre className="overflow-x-auto rounded-md border border-line bg-surface-sunken px-4 py-3 font-mono text-sm leading-6">
        <code>{command}</code>
      </pre>
    </figure>
  );
}

export default function HomePage() {
  return (
    <main className="mx-auto flex max-w-4xl flex-col gap-10 px-6 py-16">
      <header className="space-y-3">
        <h1 className="text-4xl font-semibold tracking-tight">Drainscope</h1>
        <p className="text-lg text-fg-muted">
          Pod termination timelines: every window in which traffic could reach a dead or draining pod.
        </p>
      </header>

      <section
        aria-labelledby="coming-soon"
        className="rounded-lg border border-line bg-surface p-6 shadow-sm"
      >
        <h2 id="coming-soon" className="text-xl font-semibold">
          The dashboard is coming
        </h2>
        <p className="mt-2 text-fg-muted">
          The live timeline is not here yet. Meanwhile, analyze a recording from the command line.
        </p>
      </section>

      <section aria-labelledby="analyze" className="space-y-6">
        <h2 id="analyze" className="text-xl font-semibold">
          Analyze a recording
        </h2>
        <CommandBlock
          label="1. Record the rollout, one watch stream per kind, while it happens"
          command={recordCommands}
        />
        <CommandBlock label="2. Analyze the files" command={analyzeCommand} />
        <p className="text-sm text-fg-muted">
          Usage: <code className="font-mono text-fg">npx drainscope analyze FILE…</code> takes any number of
          recordings; <code className="font-mono text-fg">npx drainscope analyze --help</code> lists the options.
        </p>
      </section>
    </main>
  );
}
