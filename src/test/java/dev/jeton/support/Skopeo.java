package dev.jeton.support;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Debian's skopeo against a local registry, keeping its caches inside the test's directory. */
public final class Skopeo {
    private final Path home;
    private final Path policy;
    private final Path certDir;
    private final java.util.Map<String, String> environment;

    /** A skopeo that talks to the registry (and so to its token realm) without verifying TLS. */
    public Skopeo(Path home) throws Exception {
        this(home, null);
    }

    /**
     * A skopeo that verifies TLS, trusting the system's CAs and the {@code ca.crt} in
     * {@code certDir}, for the registry and for the token realm it is sent to.
     */
    public Skopeo(Path home, Path certDir) throws Exception {
        Packages.require("/usr/bin/skopeo", "skopeo");
        this.home = home;
        this.certDir = certDir;
        this.environment = java.util.Map.of();
        Files.createDirectories(home);
        this.policy = home.resolve("policy.json");
        Files.writeString(policy, "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");
    }

    private Skopeo(Skopeo base, java.util.Map<String, String> environment) {
        this.home = base.home;
        this.certDir = base.certDir;
        this.policy = base.policy;
        this.environment = java.util.Map.copyOf(environment);
    }

    /** The same skopeo, run with these environment variables too (PATH for a credential helper, for one). */
    public Skopeo withEnvironment(java.util.Map<String, String> environment) { return new Skopeo(this, environment); }

    /** The home directory it runs with ({@code HOME}). */
    public Path home() { return home; }

    public record Result(int code, String output) {
        public boolean ok() { return code == 0; }
    }

    /** Pushes an OCI layout to {@code registry/repository:tag}; {@code creds} null means anonymous. */
    public Result push(Path ociLayout, String registry, String reference, String creds) throws Exception {
        List<String> args = new ArrayList<>(List.of("copy"));
        args.addAll(certDir == null ? List.of("--dest-tls-verify=false") : List.of("--dest-cert-dir", certDir.toString()));
        if (creds != null) args.addAll(List.of("--dest-creds", creds));
        else args.add("--dest-no-creds");
        args.add("oci:" + ociLayout + ":latest");
        args.add("docker://" + registry + "/" + reference);
        return run(args);
    }

    public Result pull(String registry, String reference, Path into, String creds) throws Exception {
        List<String> args = new ArrayList<>(List.of("copy"));
        args.addAll(certDir == null ? List.of("--src-tls-verify=false") : List.of("--src-cert-dir", certDir.toString()));
        if (creds != null) args.addAll(List.of("--src-creds", creds));
        else args.add("--src-no-creds");
        args.add("docker://" + registry + "/" + reference);
        args.add("oci:" + into + ":latest");
        return run(args);
    }

    /** Copies any image skopeo can read ({@code docker-archive:FILE}, {@code oci:DIR:TAG}) to {@code registry/reference}. */
    public Result pushFrom(String source, String registry, String reference, String creds) throws Exception {
        List<String> args = new ArrayList<>(List.of("copy"));
        args.addAll(certDir == null ? List.of("--dest-tls-verify=false") : List.of("--dest-cert-dir", certDir.toString()));
        if (creds != null) args.addAll(List.of("--dest-creds", creds));
        else args.add("--dest-no-creds");
        args.add(source);
        args.add("docker://" + registry + "/" + reference);
        return run(args);
    }

    /** Pushes with the credentials of an auth.json ({@code --authfile}), as podman and docker write it. */
    public Result pushWithAuthFile(Path ociLayout, String registry, String reference, Path authFile) throws Exception {
        List<String> args = new ArrayList<>(List.of("copy", "--authfile", authFile.toString()));
        args.addAll(certDir == null ? List.of("--dest-tls-verify=false") : List.of("--dest-cert-dir", certDir.toString()));
        args.add("oci:" + ociLayout + ":latest");
        args.add("docker://" + registry + "/" + reference);
        return run(args);
    }

    public Result pullWithAuthFile(String registry, String reference, Path into, Path authFile) throws Exception {
        List<String> args = new ArrayList<>(List.of("copy", "--authfile", authFile.toString()));
        args.addAll(certDir == null ? List.of("--src-tls-verify=false") : List.of("--src-cert-dir", certDir.toString()));
        args.add("docker://" + registry + "/" + reference);
        args.add("oci:" + into + ":latest");
        return run(args);
    }

    /** {@code skopeo login}, writing what it stores to {@code authFile}; the password goes in on standard input. */
    public Result login(String registry, String user, String password, Path authFile) throws Exception {
        List<String> args = new ArrayList<>(List.of("login", "--authfile", authFile.toString(), "--username", user, "--password-stdin"));
        args.addAll(certDir == null ? List.of("--tls-verify=false") : List.of("--cert-dir", certDir.toString()));
        args.add(registry);
        return run(args, password);
    }

    private Result run(List<String> args) throws Exception {
        return run(args, null);
    }

    private Result run(List<String> args, String stdin) throws Exception {
        List<String> command = new ArrayList<>(List.of("/usr/bin/skopeo", "--policy", policy.toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        // As root skopeo writes caches under the system containers directory; keep them here.
        pb.environment().put("_CONTAINERS_ROOTLESS_UID", "4242");
        pb.environment().put("HOME", home.toString());
        pb.environment().put("XDG_DATA_HOME", home.toString());
        pb.environment().put("XDG_RUNTIME_DIR", home.toString());
        pb.environment().putAll(environment);
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("skopeo timed out:\n" + out);
        }
        return new Result(p.exitValue(), out);
    }
}
