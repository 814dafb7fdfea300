package dev.jeton.agent;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The node's own ES256 key pair, made on the node at its agent's first start and kept in the
 * state directory (mode 0600): only the public part ever leaves the node, at enrolment. It signs
 * one short RFC 7523 assertion per call to a server.
 */
public final class NodeKey {
    /** Short: an assertion is used at once, and a captured one is refused anyway (its jti is single use). */
    static final Duration ASSERTION_TTL = Duration.ofSeconds(60);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final ECKey key;
    private final ECDSASigner signer;

    private NodeKey(ECKey key) {
        this.key = key;
        try {
            this.signer = new ECDSASigner(key);
        } catch (JOSEException e) {
            throw new IllegalStateException("the node key cannot sign: " + e.getMessage(), e);
        }
    }

    /** The key in {@code file}, or a new one written there first (owner read/write only, created so before any byte is written). */
    public static NodeKey loadOrCreate(Path file) {
        try {
            if (Files.exists(file)) return new NodeKey(ECKey.parse(Files.readString(file)));
            ECKey made = new ECKeyGenerator(Curve.P_256).keyIDFromThumbprint(true).generate();
            Files.createDirectories(file.getParent());
            Path temp = file.resolveSibling(file.getFileName() + "." + UUID.randomUUID() + ".tmp");
            try {
                Files.createFile(temp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (UnsupportedOperationException e) {
                Files.createFile(temp);
            }
            Files.writeString(temp, made.toJSONString(), StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            try {
                Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                Files.deleteIfExists(temp);
                return new NodeKey(ECKey.parse(Files.readString(file)));
            }
            return new NodeKey(made);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the node key " + file + ": " + e.getMessage(), e);
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException("the node key " + file + " is not an EC JWK: " + e.getMessage(), e);
        }
    }

    /** The public half, as the server stores it at enrolment. */
    public String publicJwk() { return key.toPublicJWK().toJSONString(); }

    /** An RFC 7523 client assertion: iss = sub = the node, aud = the server's issuer, a fresh jti, living a minute. */
    public String assertion(String node, String audience, Instant now) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(node).subject(node).audience(List.of(audience))
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(ASSERTION_TTL))).jwtID(UUID.randomUUID().toString()).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing a node assertion failed: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }
}
