// ingress-nginx /configuration/backends in the controller's shape (Service object, string ports).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ingressNginxMembers } from "./ingress-nginx";

describe("ingress-nginx backends", () => {
  it("every listed endpoint is an active member of its backend, with the Service's name and namespace", () => {
    const members = ingressNginxMembers(JSON.parse(readFileSync(join(__dirname, "fixtures", "ingress-nginx-backends.json"), "utf8")));
    expect(members).toEqual([
      { lb: "ingress-nginx/shop-web-80", source: "ingress-nginx", member: "10.244.1.7:8080", state: "active", service: "web", namespace: "shop" },
      { lb: "ingress-nginx/shop-web-80", source: "ingress-nginx", member: "10.244.3.11:8080", state: "active", service: "web", namespace: "shop" },
    ]);
  });

  it("refuses an answer that is not a backends list", () => {
    expect(ingressNginxMembers({ backends: [] })).toMatchObject({ error: expect.stringContaining("/configuration/backends") });
  });
});
