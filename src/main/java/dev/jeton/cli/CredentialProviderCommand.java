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
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
                "The kubelet's CredentialProviderConfig and how to install it on a node: docs/federation.md, 'Kubelet image "
                        + "credential provider'."})
public final class CredentialProviderCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--server", paramLabel = "URL", defaultValue = "${env:JETON_SERVER}",
            description = "Jeton's public URL (env JETON_SERVER).") String server;
    @Option(names = "--service", paramLabel = "NAME", defaultValue = "${env:JETON_REGISTRY_SERVICE}",
            description = "The registry's service name (its auth.token.service; env JETON_REGISTRY_SERVICE); default: the image's "
                    + "registry host.") String service;
    @Option(names = "--cacert", paramLabel = "PEM", defaultValue = "${env:JETON_CACERT}",
            description = "Trust these CA certificates for Jeton's TLS instead of the system's (env JETON_CACERT).") Path cacert;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // The kubelet logs the plugin's stderr and reads only its stdout: every failure is one line there, exit code 1.
        try {
            URI jeton = serverUrl();
            HttpClient http = client();
            // System.in as it is when the command runs, not when it was built: a caller may set it in between.
            String request = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
            String answer = new CredentialProvider(jeton, service, http).answer(request);
            out.println(answer);
            out.flush();
            return 0;
        } catch (CredentialProvider.Refused | IOException e) {
            err.println("jeton credential-provider: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    private URI serverUrl() throws CredentialProvider.Refused {
        if (server == null || server.isBlank()) throw new CredentialProvider.Refused("--server (or JETON_SERVER) is required");
        try {
            URI uri = new URI(server.strip());
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) return uri;
        } catch (URISyntaxException e) {
            // worded below
        }
        throw new CredentialProvider.Refused("--server must be Jeton's http:// or https:// URL, e.g. https://jeton.example:8443; got '"
                + server + "'");
    }

    private HttpClient client() throws CredentialProvider.Refused {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (cacert != null) {
            try (InputStream in = Files.newInputStream(cacert)) {
                KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
                trusted.load(null, null);
                int i = 0;
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) trusted.setCertificateEntry("ca" + i++, c);
                if (i == 0) throw new CredentialProvider.Refused("--cacert " + cacert + " holds no PEM certificate");
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trusted);
                SSLContext tls = SSLContext.getInstance("TLS");
                tls.init(null, tmf.getTrustManagers(), null);
                builder.sslContext(tls);
            } catch (NoSuchFileException e) {
                throw new CredentialProvider.Refused("cannot read --cacert " + cacert + ": no such file");
            } catch (AccessDeniedException e) {
                throw new CredentialProvider.Refused("cannot read --cacert " + cacert + ": permission denied");
            } catch (IOException e) {
                throw new CredentialProvider.Refused("cannot read --cacert " + cacert + ": " + e.getMessage());
            } catch (GeneralSecurityException e) {
                throw new CredentialProvider.Refused("--cacert " + cacert + " holds no PEM certificate");
            }
        }
        return builder.build();
    }
}
