package dev.jeton.tls;

import dev.jeton.Jeton;
import dev.jeton.support.InProcessCli;
import dev.jeton.support.OpenSsl;
import dev.jeton.support.OpenSsl.KeyFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code jeton serve} with a bad certificate or key: exit code 1, one line on stderr naming the
 * setting, the file and the fix, no stack trace, and no first-run secrets printed and lost.
 */
class TlsConfigErrorsTest {
    @TempDir
    static Path dir;
    static OpenSsl.Pem good;
    static OpenSsl.Pem other;

    @BeforeAll
    static void certificates() throws Exception {
        good = OpenSsl.serverCertificate(dir, "good", KeyFormat.EC_PKCS8);
        other = OpenSsl.serverCertificate(dir, "other", KeyFormat.RSA_PKCS1);
        OpenSsl.encrypted(good.key(), dir.resolve("encrypted-key.pem"));
        Files.writeString(dir.resolve("not-pem.txt"), "this is not a certificate\n");
        Files.writeString(dir.resolve("bad-base64.pem"), "-----BEGIN CERTIFICATE-----\nnot base64 at all!!\n-----END CERTIFICATE-----\n");
        Files.write(dir.resolve("der.crt"), new byte[]{0x30, (byte) 0x82, 0x01, 0x0a, 0x02, 0x01});
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of("cert file missing", List.of("--tls-cert-file", "missing.pem", "--tls-key-file", "good-key.pem"),
                        "jeton: tls-cert-file %s/missing.pem does not exist"),
                Arguments.of("key file missing", List.of("--tls-cert-file", "good-cert.pem", "--tls-key-file", "missing.pem"),
                        "jeton: tls-key-file %s/missing.pem does not exist"),
                Arguments.of("cert file is not PEM", List.of("--tls-cert-file", "not-pem.txt", "--tls-key-file", "good-key.pem"),
                        "jeton: tls-cert-file %s/not-pem.txt holds no PEM certificate (-----BEGIN CERTIFICATE-----)"),
                Arguments.of("cert file is DER", List.of("--tls-cert-file", "der.crt", "--tls-key-file", "good-key.pem"),
                        "jeton: tls-cert-file %s/der.crt is binary DER, not PEM (convert it: openssl x509 -inform der"),
                Arguments.of("cert block is not base64", List.of("--tls-cert-file", "bad-base64.pem", "--tls-key-file", "good-key.pem"),
                        "jeton: tls-cert-file %s/bad-base64.pem is not valid PEM ("),
                Arguments.of("key file holds a certificate", List.of("--tls-cert-file", "good-cert.pem", "--tls-key-file", "good-cert.pem"),
                        "jeton: tls-key-file %s/good-cert.pem holds no PEM private key (-----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY)"),
                Arguments.of("key is encrypted", List.of("--tls-cert-file", "good-cert.pem", "--tls-key-file", "encrypted-key.pem"),
                        "jeton: tls-key-file %s/encrypted-key.pem is encrypted; give an unencrypted key (openssl pkey -in KEY -out KEY.plain) and protect the file (chmod 600)"),
                Arguments.of("key of another certificate", List.of("--tls-cert-file", "good-cert.pem", "--tls-key-file", "other-key.pem"),
                        "jeton: tls-key-file %1$s/other-key.pem is not the key of the first certificate in tls-cert-file %1$s/good-cert.pem (the server's own certificate must come first)"),
                Arguments.of("certificate without key", List.of("--tls-cert-file", "good-cert.pem"),
                        "jeton: tls-cert-file and tls-key-file go together: set both (PEM certificate chain and its private key) or neither"),
                Arguments.of("dev-tls with files", List.of("--dev-tls", "--tls-cert-file", "good-cert.pem", "--tls-key-file", "good-key.pem"),
                        "jeton: dev-tls makes its own certificate: leave tls-cert-file and tls-key-file empty, or turn dev-tls off"));
    }

    @Test
    void serveHelpWhenAskedThenExplainsTls() {
        StringWriter out = new StringWriter();
        String[] args = {"serve", "--help"};
        CommandLine cli = Jeton.commandLine(args); // as main builds it for a server start
        cli.setOut(new PrintWriter(out, true));
        assertThat(cli.execute(args)).isZero();
        assertThat(out.toString()).contains("--tls-cert-file=FILE").contains("--tls-key-file=FILE").contains("--dev-tls")
                .contains("imds-tls-cert-file").contains("curl --cacert");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void serveWhenCertificateOrKeyIsBadThenOneClearLineAndNoSecretsPrinted(String name, List<String> flags, String expected)
            throws Exception {
        Path data = Files.createTempDirectory(dir, "data");
        List<String> args = new ArrayList<>(List.of("serve", "--data-dir", data.toString(), "--port", "0", "--imds-port", "-1"));
        for (String f : flags) args.add(f.endsWith(".pem") || f.endsWith(".txt") || f.endsWith(".crt") ? dir.resolve(f).toString() : f);
        InProcessCli.Result r = InProcessCli.run(null, args.toArray(String[]::new));

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith(expected.formatted(dir)).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.out()).isEmpty();
    }
}
