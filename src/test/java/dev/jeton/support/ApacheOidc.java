package dev.jeton.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's Apache with mod_auth_openidc, run as a child process with its own configuration on
 * loopback ports (never the system service). Each {@link Site} is a virtual host on its own
 * port and its own OpenID Connect client, protecting {@code /protected/} (an SSI page that
 * prints the user's claims); {@code /loggedout.html} is public.
 */
public final class ApacheOidc implements AutoCloseable {
    private static final String MODULES = "/usr/lib/apache2/modules/";

    private final Process process;
    private final Path dir;

    /** One relying party: a virtual host; {@code authParams} go into every authorization request (e.g. prompt=none). */
    public record Site(String clientId, String clientSecret, int port, String authParams) {
        public String base() { return "http://127.0.0.1:" + port; }

        public String redirectUri() { return base() + "/protected/redirect_uri"; }

        public String loggedOutUrl() { return base() + "/loggedout.html"; }

        public String backchannelLogoutUri() { return redirectUri() + "?logout=backchannel"; }
    }

    private ApacheOidc(Process process, Path dir) {
        this.process = process;
        this.dir = dir;
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ApacheOidc start(String issuer, List<Site> sites) throws Exception {
        Packages.requireFiles("/usr/sbin/apache2", "apache2", MODULES + "mod_auth_openidc.so", "libapache2-mod-auth-openidc");
        // Apache's children run as www-data: the directory must be theirs to read, so not under a JUnit temp dir (0700).
        Path dir = Files.createTempDirectory("jeton-apache-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path htdocs = Files.createDirectories(dir.resolve("htdocs/protected"));
        Files.writeString(htdocs.resolve("index.shtml"), """
                <!doctype html><html><head><title>Protected</title></head><body>
                <p id="user"><!--#echo var="OIDC_CLAIM_preferred_username" --></p>
                <p id="sid"><!--#echo var="OIDC_CLAIM_sid" --></p>
                <p id="acr"><!--#echo var="OIDC_CLAIM_acr" --></p>
                </body></html>
                """);
        Files.writeString(dir.resolve("htdocs/loggedout.html"), "<!doctype html><html><head><title>Logged out</title></head>"
                + "<body><p id=\"bye\">logged out of the application</p></body></html>");
        for (Path p : List.of(dir.resolve("htdocs"), htdocs)) Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        StringBuilder listen = new StringBuilder();
        StringBuilder hosts = new StringBuilder();
        for (Site site : sites) {
            listen.append("Listen 127.0.0.1:").append(site.port()).append('\n');
            hosts.append("""
                    <VirtualHost 127.0.0.1:%d>
                      OIDCClientID %s
                      OIDCClientSecret %s
                      OIDCRedirectURI %s
                      OIDCCookie %s_session
                      %s
                      <Location /protected>
                        AuthType openid-connect
                        Require valid-user
                      </Location>
                    </VirtualHost>
                    """.formatted(site.port(), site.clientId(), site.clientSecret(), site.redirectUri(), site.clientId().replace('-', '_'),
                    site.authParams() == null ? "" : "OIDCAuthRequestParams " + site.authParams()));
        }
        String config = """
                ServerRoot "%1$s"
                ServerName 127.0.0.1
                %2$s
                PidFile %1$s/httpd.pid
                DefaultRuntimeDir %1$s
                Mutex file:%1$s default
                ErrorLog %1$s/error.log
                LogLevel warn auth_openidc:info
                User www-data
                Group www-data
                LoadModule mpm_event_module %3$smod_mpm_event.so
                LoadModule authn_core_module %3$smod_authn_core.so
                LoadModule authz_core_module %3$smod_authz_core.so
                LoadModule authz_user_module %3$smod_authz_user.so
                LoadModule mime_module %3$smod_mime.so
                LoadModule include_module %3$smod_include.so
                LoadModule dir_module %3$smod_dir.so
                LoadModule auth_openidc_module %3$smod_auth_openidc.so
                TypesConfig /etc/mime.types
                DocumentRoot %1$s/htdocs
                <Directory %1$s/htdocs>
                  Options +Includes
                  Require all granted
                </Directory>
                AddType text/html .shtml
                AddOutputFilter INCLUDES .shtml
                DirectoryIndex index.shtml index.html
                OIDCProviderMetadataURL %4$s/.well-known/openid-configuration
                OIDCScope "openid"
                OIDCCryptoPassphrase %5$s
                OIDCCookieSameSite On
                OIDCPassClaimsAs environment
                %6$s
                """.formatted(dir, listen, MODULES, issuer, UUID.randomUUID(), hosts);
        Path conf = dir.resolve("httpd.conf");
        Files.writeString(conf, config);
        Process p = new ProcessBuilder("/usr/sbin/apache2", "-f", conf.toString(), "-DFOREGROUND")
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        ApacheOidc apache = new ApacheOidc(p, dir);
        for (Site site : sites) apache.awaitListening(site.port());
        return apache;
    }

    private void awaitListening(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) throw new IllegalStateException("apache2 exited:\n" + logs());
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("apache2 did not listen on " + port + " within 20s:\n" + logs());
    }

    public String logs() {
        try {
            StringBuilder out = new StringBuilder();
            for (String f : List.of("stdout.log", "error.log")) {
                Path p = dir.resolve(f);
                if (Files.exists(p)) out.append("== ").append(f).append('\n').append(Files.readString(p));
            }
            return out.toString();
        } catch (IOException e) {
            return "(logs unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
        }
    }
}
