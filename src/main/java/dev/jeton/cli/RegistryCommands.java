package dev.jeton.cli;

import dev.jeton.AdminWiring;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

@Command(name = "registry", mixinStandardHelpOptions = true, description = "Connects a container registry to Jeton.",
        subcommands = {RegistryCommands.Cert.class})
public final class RegistryCommands {

    @Command(name = "cert", mixinStandardHelpOptions = true,
            description = {"Writes the certificates of every published signing key (PEM), for a Docker Distribution registry's "
                    + "auth.token.rootcertbundle. The bundle includes the 'next' key, so a 'key rotate' needs no registry restart; "
                    + "write it again after each rotation and before the one after.",
                    "Registry config: auth: {token: {realm: ISSUER/oauth2/token, service: NAME, issuer: ISSUER, rootcertbundle: FILE}}"})
    static final class Cert extends WiringCommand {
        @Option(names = "--out", paramLabel = "FILE", description = "Write to FILE instead of standard output.") Path outFile;

        @Override
        int run(AdminWiring wiring, PrintWriter out) {
            String bundle = wiring.keys().certificateBundle();
            if (outFile == null) {
                out.print(bundle);
                return 0;
            }
            try {
                Files.writeString(outFile, bundle);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + outFile, e);
            }
            wiring.adminAudit().changed("registry.cert", outFile.toString(), "certificate bundle of the published keys");
            out.println("wrote " + outFile);
            return 0;
        }
    }
}
