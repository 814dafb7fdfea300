package dev.jeton.cli;

import dev.jeton.AdminWiring;
import dev.jeton.config.Durations;
import dev.jeton.engine.federation.TrustAdmin;
import dev.jeton.model.Failure;
import dev.jeton.model.TrustPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "trust", mixinStandardHelpOptions = true,
        description = {"Manages trust policies: which workload tokens (Kubernetes service-account tokens, GitHub Actions or "
                + "GitLab CI OIDC tokens, another Jeton's) Jeton accepts instead of a secret, and as which principal.",
                "A token matches a policy when its iss is --issuer, its aud holds --audience, its sub matches --subject and "
                        + "every --claim holds; values are exact, or globs where they contain '*'."},
        subcommands = {TrustCommands.Add.class, TrustCommands.ListPolicies.class, TrustCommands.Show.class, TrustCommands.Remove.class})
public final class TrustCommands {

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Adds a trust policy. Example (a Kubernetes service account as a managed identity):",
                    "  jeton trust add ci-builder --issuer https://kubernetes.default.svc.cluster.local "
                            + "--audience api://AzureADTokenExchange --subject system:serviceaccount:ci:builder "
                            + "--as identity:builder --jwks-file cluster-jwks.json"})
    static final class Add extends WiringCommand {
        @Parameters(paramLabel = "NAME", description = "The policy's name (letters, digits, '.', '_', '-').") String name;
        @Option(names = "--issuer", required = true, paramLabel = "URL", description = "The tokens' iss, exactly.") String issuer;
        @Option(names = "--audience", required = true, paramLabel = "AUD", description = "An audience the tokens must name in aud.")
        String audience;
        @Option(names = "--subject", required = true, paramLabel = "SUB|GLOB",
                description = "The tokens' sub, exactly or as a glob (repo:acme/app:*).") String subject;
        @Option(names = "--claim", paramLabel = "KEY=VALUE|GLOB",
                description = "A claim that must hold, repeatable (all must hold). KEY may be a JSON pointer into nested claims: "
                        + "/kubernetes.io/namespace=ci. A list claim holds when one element matches.")
        List<String> claims = new ArrayList<>();
        @Option(names = "--as", required = true, paramLabel = "KIND:NAME",
                description = "Who a matching token speaks for: identity:NAME, app:NAME, user:NAME, group:NAME (the workload "
                        + "itself, with the group's registry rights), or node:GLOB (a node agent, of the node the token's "
                        + "kubernetes.io node name claim names, when the glob matches it; see docs/fleet.md).") String as;
        @Option(names = "--max-ttl", paramLabel = "DURATION",
                description = "Oldest a presented token may be (since its iat), and longest a token issued for it lives "
                        + "(default 1h, at most 24h).") String maxTtl;
        @Option(names = "--jwks-file", paramLabel = "FILE",
                description = "The issuer's public keys as a JWK set, for issuers Jeton cannot reach (a cluster's /openid/v1/jwks); "
                        + "without it the keys come from the issuer's OIDC discovery.") String jwksFile;
        @Option(names = "--json", description = "Print as JSON.") boolean json;

        @Override
        int run(AdminWiring wiring, PrintWriter out) {
            TrustPolicy policy = wiring.changes().addTrustPolicy(new TrustAdmin.Draft(name, issuer, audience, subject, claims, as,
                    maxTtl == null ? null : parseDuration(maxTtl), jwksFile));
            if (json) Output.json(out, describe(policy));
            else out.println("added trust policy " + policy.name() + ": " + policy.issuer() + " " + policy.subject() + " as " + policy.as());
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists trust policies.")
    static final class ListPolicies extends WiringCommand {
        @Option(names = "--json", description = "Print as JSON.") boolean json;

        @Override
        int run(AdminWiring wiring, PrintWriter out) {
            List<TrustPolicy> all = wiring.trust().list();
            if (json) {
                Output.json(out, all.stream().map(TrustCommands::describe).toList());
            } else {
                Output.table(out, List.of("NAME", "ISSUER", "AUDIENCE", "SUBJECT", "AS"), all.stream()
                        .map(p -> List.of(p.name(), p.issuer(), p.audience(), p.subject(), p.as().toString())).toList());
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Shows one trust policy.")
    static final class Show extends WiringCommand {
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--json", description = "Print as JSON.") boolean json;

        @Override
        int run(AdminWiring wiring, PrintWriter out) {
            TrustPolicy policy = wiring.trust().show(name).orElseThrow(() -> Failure.notFound("no trust policy named " + name));
            if (json) {
                Output.json(out, describe(policy));
            } else {
                describe(policy).forEach((k, v) -> out.println(k + ": " + (v == null ? "-" : v)));
            }
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Removes a trust policy; tokens it matched are refused from the next recheck on (tokens already issued "
                    + "for them live out their lifetime).")
    static final class Remove extends WiringCommand {
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--json", description = "Print as JSON.") boolean json;

        @Override
        int run(AdminWiring wiring, PrintWriter out) {
            wiring.changes().removeTrustPolicy(name);
            if (json) Output.json(out, Map.of("removed", name));
            else out.println("removed trust policy " + name);
            return 0;
        }
    }

    private static java.time.Duration parseDuration(String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw Failure.invalidRequest("--max-ttl: " + e.getMessage());
        }
    }

    static Map<String, Object> describe(TrustPolicy p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.name());
        m.put("issuer", p.issuer());
        m.put("audience", p.audience());
        m.put("subject", p.subject());
        m.put("claims", p.claims());
        m.put("as", p.as().toString());
        m.put("max_ttl", Durations.format(p.maxTtl()));
        m.put("jwks_file", p.jwksFile());
        m.put("created_at", p.createdAt().toString());
        return m;
    }
}
