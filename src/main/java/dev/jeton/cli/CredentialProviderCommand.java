package dev.jeton.cli;

import dev.jeton.agent.CredentialProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.concurrent.Callable;

@Command(name = "credential-provider", mixinStandardHelpOptions = true,
        description = {"A kubelet image credential provider (exec plugin, credentialprovider.kubelet.k8s.io/v1, service-account-token "
                + "mode): reads the kubelet's CredentialProviderRequest on stdin, exchanges the pod's service-account token at Jeton "
                + "(a trust policy maps it to a principal) and writes a CredentialProviderResponse with registry credentials on "
                + "stdout. Errors go to stderr with exit code 1.",
                "See the README section 'Kubelet image credential provider' for the kubelet configuration."})
public final class CredentialProviderCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--server", paramLabel = "URL", defaultValue = "${env:JETON_SERVER}",
            description = "Jeton's public URL (env JETON_SERVER).") String server;
    @Option(names = "--service", paramLabel = "NAME", defaultValue = "${env:JETON_REGISTRY_SERVICE}",
            description = "The registry's service name (its auth.token.service; env JETON_REGISTRY_SERVICE); default: the image's "
                    + "registry host.") String service;
    @Option(names = "--cacert", paramLabel = "PEM", defaultValue = "${env:JETON_CACERT}",
            description = "Trust these CA certificates for Jeton's TLS instead of the system's (env JETON_CACERT).") Path cacert;

    private final InputStream stdin;

    public CredentialProviderCommand() { this(System.in); }

    CredentialProviderCommand(InputStream stdin) { this.stdin = stdin; }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (server == null || server.isBlank()) {
            err.println("jeton credential-provider: --server (or JETON_SERVER) is required");
            err.flush();
            return 1;
        }
        try {
            HttpClient http = client();
            String answer = new CredentialProvider(URI.create(server), service, http)
                    .answer(new String(stdin.readAllBytes(), StandardCharsets.UTF_8));
            out.println(answer);
            out.flush();
            return 0;
        } catch (CredentialProvider.Refused | GeneralSecurityException | IllegalArgumentException e) {
            err.println("jeton credential-provider: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    private HttpClient client() throws IOException, GeneralSecurityException {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (cacert != null) {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int i = 0;
            try (InputStream in = Files.newInputStream(cacert)) {
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) trusted.setCertificateEntry("ca" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, tmf.getTrustManagers(), null);
            builder.sslContext(tls);
        }
        return builder.build();
    }
}
