package dev.jeton.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.SignedJWT;
import dev.jeton.model.KeyState;
import dev.jeton.model.StoredKey;
import dev.jeton.store.KeyStore;
import dev.jeton.store.KeyStore.StateChange;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import java.util.Optional;

/**
 * The signing keys, held in memory as an immutable snapshot so that signing and verifying
 * never touch the store. {@link #reload()} picks up rotations made by other processes (the CLI,
 * other instances); private keys are decrypted once per key, not per reload.
 */
public final class KeyRing {
    private static final System.Logger LOG = System.getLogger(KeyRing.class.getName());

    private final KeyStore store;
    private final MasterKey masterKey;
    private volatile CryptoProvider provider;
    private final Clock clock;
    private final Duration retireAfter;
    private volatile KeySnapshot snapshot = KeySnapshot.EMPTY;
    /** Set by {@link #ensureKeys} from the signing-algorithm setting. */
    private volatile SigningAlgorithm primary = SigningAlgorithm.ES256;

    public KeyRing(KeyStore store, MasterKey masterKey, CryptoProvider provider, Clock clock, Duration retireAfter) {
        this.store = store;
        this.masterKey = masterKey;
        this.provider = provider;
        this.clock = clock;
        this.retireAfter = retireAfter;
    }

    /**
     * Every algorithm in use has its own key cycle (next, active, retiring): {@code primary}
     * signs access tokens and registry tokens; RS256 and ES256 also sign ID tokens, RS256 being
     * the OpenID Connect default and ES256 the other algorithm a client may register.
     */
    public static Set<SigningAlgorithm> lanes(SigningAlgorithm primary) {
        Set<SigningAlgorithm> lanes = new LinkedHashSet<>();
        lanes.add(primary);
        lanes.add(SigningAlgorithm.RS256);
        lanes.add(SigningAlgorithm.ES256);
        return lanes;
    }

    /**
     * Makes an active key and its published successor for every algorithm of
     * {@link #lanes(SigningAlgorithm)} that has none (on first start, or after an upgrade or a
     * change of signing-algorithm), and signs access tokens with {@code primary} from now on.
     */
    public synchronized void ensureKeys(SigningAlgorithm primary) {
        this.primary = primary;
        reload();
        Instant now = clock.instant();
        boolean added = false;
        for (SigningAlgorithm lane : lanes(primary)) {
            if (snapshot.active(lane) != null) continue;
            store.insert(generate(lane, KeyState.ACTIVE, now));
            store.insert(generate(lane, KeyState.NEXT, now));
            added = true;
        }
        if (added) reload();
    }

    /** Re-reads the key table; cheap when nothing changed. */
    public synchronized void reload() {
        reloadFrom(snapshot);
    }

    /** Keys already in {@code previous} are reused; the rest are decrypted and built. Swapped in at once. */
    private void reloadFrom(KeySnapshot previous) {
        List<LoadedKey> loaded = new ArrayList<>();
        for (StoredKey stored : store.keys()) {
            if (!stored.state().published()) continue;
            LoadedKey known = previous.byKid(stored.kid());
            loaded.add(known != null ? known.withState(stored.state()) : load(stored));
        }
        snapshot = KeySnapshot.of(loaded);
    }

    /**
     * For each algorithm of {@link #lanes(SigningAlgorithm) lanes(primary)}: publishes a new NEXT
     * key and moves the old NEXT to ACTIVE and ACTIVE to RETIRING, so the key that starts signing
     * has been in the JWKS since the previous rotation. Keys of an algorithm no longer in use
     * retire. RETIRING keys older than the retire-after period leave the JWKS. Returns the kid
     * that now signs access tokens.
     */
    public synchronized String rotate(SigningAlgorithm primary) {
        reload();
        Set<SigningAlgorithm> lanes = lanes(primary);
        Instant now = clock.instant();
        List<StoredKey> keys = store.keys();
        Set<SigningAlgorithm> withNext = new HashSet<>();
        for (StoredKey k : keys) {
            if (k.state() == KeyState.NEXT) withNext.add(SigningAlgorithm.parse(k.algorithm()));
        }
        List<StateChange> changes = new ArrayList<>();
        List<StoredKey> added = new ArrayList<>();
        for (StoredKey k : keys) {
            SigningAlgorithm algorithm = SigningAlgorithm.parse(k.algorithm());
            boolean inUse = lanes.contains(algorithm);
            switch (k.state()) {
                case NEXT -> changes.add(new StateChange(k.kid(), KeyState.NEXT, inUse ? KeyState.ACTIVE : KeyState.RETIRING));
                // A lane with no published successor keeps its active key rather than sign with an unpublished one.
                case ACTIVE -> {
                    if (!inUse || withNext.contains(algorithm)) changes.add(new StateChange(k.kid(), KeyState.ACTIVE, KeyState.RETIRING));
                }
                case RETIRING -> {
                    if (k.stateChangedAt().plus(retireAfter).isBefore(now)) {
                        changes.add(new StateChange(k.kid(), KeyState.RETIRING, KeyState.RETIRED));
                    }
                }
                case RETIRED -> { }
            }
        }
        for (SigningAlgorithm lane : lanes) {
            boolean hasActive = keys.stream().anyMatch(k -> k.state() == KeyState.ACTIVE && k.algorithm().equals(lane.name()));
            if (!hasActive && !withNext.contains(lane)) added.add(generate(lane, KeyState.ACTIVE, now));
            added.add(generate(lane, KeyState.NEXT, now));
        }
        if (!store.transition(changes, added, now)) {
            throw new IllegalStateException("another process rotated the keys at the same time; run key list and retry");
        }
        this.primary = primary;
        reload();
        return active(primary).kid();
    }

    /**
     * Rotates when the active key has signed for {@code interval}. Every instance may call this;
     * the store's compare-and-set lets exactly one rotation through, and the others just reload.
     */
    public synchronized boolean rotateIfDue(Duration interval, SigningAlgorithm nextAlgorithm) {
        Instant now = clock.instant();
        boolean due = store.keys().stream().anyMatch(k -> k.state() == KeyState.ACTIVE && !k.stateChangedAt().plus(interval).isAfter(now));
        if (!due) return false;
        try {
            rotate(nextAlgorithm);
            LOG.log(System.Logger.Level.INFO, "rotated signing keys on schedule; active key {0}", activeKid().orElse("none"));
            return true;
        } catch (IllegalStateException anotherInstanceWon) {
            reload();
            return false;
        }
    }

    /**
     * Takes a retiring key out of the JWKS now instead of after retire-after: for a key that must
     * stop being trusted (suspected leaked) once the tokens it signed no longer matter. Only a
     * retiring key can be retired: the active one must first be rotated away, so that signing
     * never stops. Unknown kid: NOT_FOUND; a key in another state: CONFLICT.
     */
    public synchronized void retire(String kid) {
        reload();
        StoredKey key = store.keys().stream().filter(k -> k.kid().equals(kid)).findFirst()
                .orElseThrow(() -> dev.jeton.model.Failure.notFound("no signing key with kid '" + kid + "'"));
        if (key.state() == KeyState.RETIRED) return;
        if (key.state() != KeyState.RETIRING) {
            throw dev.jeton.model.Failure.of(dev.jeton.model.Reason.CONFLICT, "key " + kid + " is " + key.state().name().toLowerCase()
                    + ": only a retiring key can be retired (rotate first)");
        }
        if (!store.transition(List.of(new StateChange(kid, KeyState.RETIRING, KeyState.RETIRED)), List.of(), clock.instant())) {
            throw dev.jeton.model.Failure.of(dev.jeton.model.Reason.CONFLICT, "another process changed the keys at the same time; retry");
        }
        reload();
    }

    public List<StoredKey> describe() {
        return store.keys().stream().sorted(Comparator.comparing(StoredKey::createdAt)).toList();
    }

    /** Signs a JWT payload, given as its exact JSON text, with the active key of the signing algorithm ({@code typ} JWT). */
    public String sign(String payloadJson) {
        return sign(payloadJson, primary);
    }

    /** Signs with the active key of {@code algorithm}: ID tokens use the algorithm their client registered. */
    public String sign(String payloadJson, SigningAlgorithm algorithm) {
        LoadedKey active = active(algorithm);
        return CompactJws.sign(active.jwtHeader(), payloadJson, active.signer());
    }

    /** The algorithms that have an active key: those an ID token may be signed with. */
    public Set<SigningAlgorithm> activeAlgorithms() {
        return Set.copyOf(snapshot.activeByAlgorithm().keySet());
    }

    /** The algorithm access tokens are signed with. */
    public SigningAlgorithm primaryAlgorithm() { return primary; }

    /**
     * Signs like {@link #sign} with the key's certificate in {@code x5c}, as Distribution
     * verifies registry tokens against a root certificate bundle.
     */
    public String signWithCertificate(String payloadJson) {
        LoadedKey active = active(primary);
        return CompactJws.sign(active.jwtHeaderWithCertificate(), payloadJson, active.signer());
    }

    private LoadedKey active(SigningAlgorithm algorithm) {
        LoadedKey active = snapshot.active(algorithm);
        if (active == null) throw new IllegalStateException("no active " + algorithm + " signing key");
        return active;
    }

    /** PEM certificates of every published key, for a registry's {@code rootcertbundle}. */
    public String certificateBundle() {
        StringBuilder pem = new StringBuilder();
        snapshot.byKid().values().stream().sorted(java.util.Comparator.comparing(LoadedKey::kid))
                .filter(k -> k.certificatePem() != null).forEach(k -> pem.append(k.certificatePem()));
        return pem.toString();
    }

    /** Verifies the signature of a JWT made by one of our published keys. */
    public boolean verifySignature(SignedJWT jwt) {
        String kid = jwt.getHeader().getKeyID();
        if (kid == null) return false;
        LoadedKey key = snapshot.byKid(kid);
        if (key == null || !key.algorithm().jws().equals(jwt.getHeader().getAlgorithm())) return false;
        try {
            return jwt.verify(key.verifier());
        } catch (JOSEException e) {
            return false;
        }
    }

    /** True while the key {@code kid} is published (next, active or retiring): what verification needs of it. */
    public boolean publishes(String kid) {
        return kid != null && snapshot.byKid(kid) != null;
    }

    public String jwksJson() { return snapshot.jwksJson(); }

    public Optional<String> activeKid() {
        return Optional.ofNullable(snapshot.active(primary)).map(LoadedKey::kid);
    }

    public String providerDescription() { return provider.description(); }

    /** Signs and verifies a throw-away token, so that the first real one finds the code warm. */
    public void warmUp() {
        if (snapshot.active(primary) == null) return;
        try {
            verifySignature(SignedJWT.parse(sign(new ClaimsJson().string("sub", "warm-up").end())));
        } catch (java.text.ParseException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "warm-up signature failed", e);
        }
    }

    /**
     * Switches signing and verification to another provider, rebuilding every loaded key's
     * signer: ACCP takes a third of a second to load, so it arrives after start-up.
     */
    public synchronized void useProvider(CryptoProvider next) {
        this.provider = next;
        reloadFrom(KeySnapshot.EMPTY);
    }

    private StoredKey generate(SigningAlgorithm algorithm, KeyState state, Instant now) {
        try {
            KeyPair pair = algorithm.generate();
            String kid = KeyIds.libtrust(pair.getPublic());
            JWK jwk = algorithm.publicJwk(kid, pair.getPublic());
            byte[] sealed = masterKey.encrypt(pair.getPrivate().getEncoded(), kid);
            String certificate = Certificates.selfSigned(pair, algorithm, kid, now);
            return new StoredKey(kid, algorithm.name(), state, jwk.toJSONString(), sealed, certificate, now, now);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + algorithm + " key", e);
        }
    }

    private LoadedKey load(StoredKey stored) {
        try {
            SigningAlgorithm algorithm = SigningAlgorithm.parse(stored.algorithm());
            JWK jwk = JWK.parse(stored.publicJwk());
            PrivateKey privateKey = algorithm.privateFromPkcs8(masterKey.decrypt(stored.encryptedPrivateKey(), stored.kid()));
            LOG.log(System.Logger.Level.DEBUG, "loaded key {0} ({1}, {2})", stored.kid(), algorithm, stored.state());
            String certificate = stored.certificatePem() == null ? null
                    : Base64.getEncoder().encodeToString(Certificates.der(stored.certificatePem()));
            return new LoadedKey(stored.kid(), algorithm, stored.state(), jwk,
                    algorithm.signer(privateKey, provider), algorithm.verifier(jwk, provider), stored.certificatePem(),
                    CompactJws.header(algorithm.name(), stored.kid(), null),
                    CompactJws.header(algorithm.name(), stored.kid(), certificate));
        } catch (ParseException | GeneralSecurityException | JOSEException e) {
            throw new IllegalStateException("cannot load signing key " + stored.kid(), e);
        }
    }
}
