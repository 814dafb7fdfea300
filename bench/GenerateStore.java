import dev.jeton.model.Secret;
import dev.jeton.secrets.PasswordHasher;
import dev.jeton.secrets.RandomTokens;
import dev.jeton.secrets.SecretHash;
import dev.jeton.secrets.TokenKey;
import dev.jeton.store.Databases;
import dev.jeton.store.jdbc.Database;
import dev.jeton.store.jdbc.JdbcStore;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Seeds a Jeton store with the shape of a large installation (bench/README.md, "A large store"):
 * by default 100,000 clients, 1,000,000 users in 1,000 groups, 1,000,000 live refresh families,
 * 1,000 nodes with 10,000 managed identities, 10,000 registry access rules. Rows are written
 * with the columns and encodings of Jeton's own store (store/jdbc), in batches of 10,000 rows
 * per transaction through the store's own Database (SQLite: its one writer; PostgreSQL: its
 * pool), after the store's migrations. Every user has the password {@code bench-password}
 * (one Argon2id hash computed once, at the cost given by JETON_ARGON2_MEMORY_KIB and
 * JETON_ARGON2_ITERATIONS) and every client the secret {@code bench-client-secret}. The same
 * seed gives the same names and shapes (ids and token hashes are random).
 *
 * Run: java -cp 'target/jeton.jar:target/lib/*' bench/GenerateStore.java STORE [SCALE]
 *   STORE: sqlite:PATH or postgresql://user@host:port/db (as Jeton's --store); SCALE: 1 = the
 *   counts above, 0.01 = a hundredth of each (for a quick run).
 */
public final class GenerateStore {
    private static final int BATCH = 10_000;
    private static final int GROUPS = 1_000;
    private static final long DAY = 86_400_000L;
    private static final HexFormat HEX = HexFormat.of();
    private static final String SUBSCRIPTION = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/jeton/providers/";

    private final Database db;
    private final SplittableRandom random = new SplittableRandom(22);
    private final RandomTokens tokens = new RandomTokens();
    private final long now = System.currentTimeMillis();
    private final int users;
    private final int clients;
    private final int families;
    private final int nodes;
    private final int identitiesPerNode = 10;
    private final int rules;
    private String[] userIds;

    private GenerateStore(Database db, double scale) {
        this.db = db;
        this.users = (int) Math.max(10, 1_000_000 * scale);
        this.clients = (int) Math.max(10, 100_000 * scale);
        this.families = (int) Math.max(10, 1_000_000 * scale);
        this.nodes = (int) Math.max(2, 1_000 * scale);
        this.rules = (int) Math.max(20, 10_000 * scale);
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) throw new IllegalArgumentException("usage: GenerateStore STORE [SCALE]");
        double scale = args.length > 1 ? Double.parseDouble(args[1]) : 1.0;
        try (Database db = Databases.open(args[0], null, 4, Path.of("jeton.db"))) {
            new JdbcStore(db);   // applies the migrations this build carries, as `jeton serve` would
            new GenerateStore(db, scale).run();
        }
    }

    private void run() {
        long start = System.nanoTime();
        int memory = Integer.parseInt(System.getenv().getOrDefault("JETON_ARGON2_MEMORY_KIB", "19456"));
        int iterations = Integer.parseInt(System.getenv().getOrDefault("JETON_ARGON2_ITERATIONS", "2"));
        String passwordHash = new PasswordHasher(memory, iterations, 1).hash(new Secret("bench-password"));
        String secretHash = HEX.formatHex(SecretHash.of("bench-client-secret"));
        users(passwordHash);
        clients(secretHash);
        families();
        nodesAndIdentities();
        rules();
        // In-memory copies elsewhere (another instance) must notice the tables changed.
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE change_counters SET version = version + 1 "
                    + "WHERE name IN ('clients', 'access_rules', 'managed_identities')")) {
                return ps.executeUpdate();
            }
        });
        System.err.printf("generated %,d users, %,d clients, %,d refresh families, %,d nodes, %,d identities, %,d rules in %.1f s%n",
                users, clients, families, nodes, nodes * identitiesPerNode, rules, (System.nanoTime() - start) / 1e9);
    }

    /** Users user-0000001..., each in one to three of team-000...team-999, with a profile. */
    private void users(String passwordHash) {
        userIds = new String[users];
        for (int i = 0; i < users; i++) userIds[i] = uuid();
        batches("users", users, (c, from, to) -> {
            try (PreparedStatement u = c.prepareStatement("INSERT INTO users (id, name, password_hash, disabled, created_at, "
                    + "display_name, given_name, family_name, email, email_verified) VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?, 1)");
                 PreparedStatement g = c.prepareStatement("INSERT INTO user_groups (user_id, group_name) VALUES (?, ?)")) {
                for (int i = from; i < to; i++) {
                    String name = userName(i);
                    u.setString(1, userIds[i]);
                    u.setString(2, name);
                    u.setString(3, passwordHash);
                    u.setLong(4, now - random.nextLong(365 * DAY));
                    u.setString(5, "User " + i);
                    u.setString(6, "User");
                    u.setString(7, String.valueOf(i));
                    u.setString(8, name + "@example.com");
                    u.addBatch();
                    int first = i % GROUPS;
                    int count = 1 + i % 3;
                    for (int k = 0; k < count; k++) {
                        g.setString(1, userIds[i]);
                        g.setString(2, group((first + k * 337) % GROUPS));
                        g.addBatch();
                    }
                }
                u.executeBatch();
                g.executeBatch();
            }
        });
    }

    /** Confidential clients app-000001... for client_credentials and refresh, each with its own audience. */
    private void clients(String secretHash) {
        batches("clients", clients, (c, from, to) -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO clients (id, client_id, secret_hash, grant_types, scopes, "
                    + "audiences, redirect_uris, access_ttl_s, refresh_ttl_s, refresh_policy, disabled, created_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'ROTATING', 0, ?)")) {
                for (int i = from; i < to; i++) {
                    ps.setString(1, uuid());
                    ps.setString(2, appName(i));
                    ps.setString(3, secretHash);
                    ps.setString(4, i % 4 == 0 ? "authorization_code refresh_token" : "client_credentials password refresh_token");
                    ps.setString(5, "jobs:read jobs:write openid profile");
                    ps.setString(6, "https://api-" + (i % 500) + ".example");
                    ps.setString(7, i % 4 == 0 ? "https://" + appName(i) + ".example/callback" : "");
                    if (i % 10 == 0) ps.setLong(8, 600); else ps.setNull(8, Types.BIGINT);
                    ps.setNull(9, Types.BIGINT);
                    ps.setLong(10, now - random.nextLong(365 * DAY));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        });
    }

    /** Live refresh families of random users at random clients, each with its current token (generation 0 to 20). */
    private void families() {
        batches("refresh families", families, (c, from, to) -> {
            try (PreparedStatement f = c.prepareStatement("INSERT INTO refresh_families (id, subject_kind, subject_id, subject_name, "
                    + "client_id, dialect, policy, scope, audience, generation, current_hash, current_lookup, rotated_at, created_at, "
                    + "expires_at) VALUES (?, 'USER', ?, ?, ?, 'oauth2', 'ROTATING', 'jobs:read openid', ?, ?, ?, ?, ?, ?, ?)");
                 PreparedStatement t = c.prepareStatement("INSERT INTO refresh_tokens (lookup, hash, family_id, generation, expires_at) "
                         + "VALUES (?, ?, ?, ?, ?)")) {
                for (int i = from; i < to; i++) {
                    int user = random.nextInt(users);
                    int app = random.nextInt(clients);
                    String id = familyId();
                    int generation = random.nextInt(21);
                    long created = now - random.nextLong(7 * DAY);
                    long expires = created + 30 * DAY;
                    long issued = generation == 0 ? created : created + random.nextLong(now - created + 1);
                    // The family's current token, made and keyed as Jeton makes and keys them.
                    TokenKey token = TokenKey.of(tokens.timeOrderedSecret(Instant.ofEpochMilli(issued)));
                    f.setString(1, id);
                    f.setString(2, userIds[user]);
                    f.setString(3, userName(user));
                    f.setString(4, appName(app));
                    f.setString(5, "https://api-" + (app % 500) + ".example");
                    f.setLong(6, generation);
                    f.setString(7, token.hash());
                    f.setString(8, token.lookup());
                    if (generation == 0) f.setNull(9, Types.BIGINT); else f.setLong(9, issued);
                    f.setLong(10, created);
                    f.setLong(11, expires);
                    f.addBatch();
                    t.setString(1, token.lookup());
                    t.setString(2, token.hash());
                    t.setString(3, id);
                    t.setLong(4, generation);
                    t.setLong(5, now + DAY);
                    t.addBatch();
                }
                f.executeBatch();
                t.executeBatch();
            }
        });
    }

    /** Nodes node-0001..., enrolled, each with its system-assigned identity and nine user-assigned ones. */
    private void nodesAndIdentities() {
        batches("nodes and identities", nodes, (c, from, to) -> {
            try (PreparedStatement n = c.prepareStatement("INSERT INTO nodes (name, state, public_key, enrol_used, created_at, "
                    + "enrolled_at, last_seen_at) VALUES (?, 'enabled', ?, 1, ?, ?, ?)");
                 PreparedStatement mi = c.prepareStatement("INSERT INTO managed_identities (id, name, client_id, object_id, resource_id, "
                         + "tenant_id, system_node, created_at) VALUES (?, ?, ?, ?, ?, '00000000-0000-0000-0000-000000000000', ?, ?)");
                 PreparedStatement a = c.prepareStatement("INSERT INTO identity_assignments (identity_id, node) VALUES (?, ?)")) {
                for (int i = from; i < to; i++) {
                    String node = String.format("node-%04d", i);
                    n.setString(1, node);
                    n.setString(2, "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + b64(32) + "\",\"y\":\"" + b64(32) + "\"}");
                    n.setLong(3, now - 30 * DAY);
                    n.setLong(4, now - 30 * DAY);
                    n.setLong(5, now - random.nextLong(DAY));
                    n.addBatch();
                    for (int k = 0; k < identitiesPerNode; k++) {
                        boolean system = k == 0;
                        String name = system ? node : node + "-mi-" + k;
                        String id = uuid();
                        mi.setString(1, id);
                        mi.setString(2, name);
                        mi.setString(3, uuid());
                        mi.setString(4, uuid());
                        mi.setString(5, SUBSCRIPTION + (system ? "Microsoft.Compute/virtualMachines/" + node
                                : "Microsoft.ManagedIdentity/userAssignedIdentities/" + name));
                        mi.setString(6, system ? node : null);
                        mi.setLong(7, now - 30 * DAY);
                        mi.addBatch();
                        if (!system) {
                            a.setString(1, id);
                            a.setString(2, node);
                            a.addBatch();
                        }
                    }
                }
                n.executeBatch();
                mi.executeBatch();
                a.executeBatch();
            }
        });
    }

    /** Registry rules: 40% groups on team-N/*, 40% apps on apps/NAME/*, 15% users, 5% identities, and ten anonymous pulls. */
    private void rules() {
        batches("access rules", rules, (c, from, to) -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO access_rules (id, subject_kind, subject_name, "
                    + "repository_pattern, actions, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (int i = from; i < to; i++) {
                    int kind = i % 20;
                    String subjectKind;
                    String name;
                    String pattern;
                    String actions;
                    if (i < 10) {
                        subjectKind = "ANONYMOUS"; name = null; pattern = "public/mirror-" + i + "/*"; actions = "pull";
                    } else if (kind < 8) {
                        String g = group(i % GROUPS);
                        subjectKind = "GROUP"; name = g; pattern = g + "/*"; actions = i % 3 == 0 ? "pull" : "pull push";
                    } else if (kind < 16) {
                        String app = appName(i % clients);
                        subjectKind = "APP"; name = app; pattern = "apps/" + app + "/*"; actions = "pull push";
                    } else if (kind < 19) {
                        String user = userName(i % users);
                        subjectKind = "USER"; name = user; pattern = "users/" + user + "/*"; actions = "delete pull push";
                    } else {
                        subjectKind = "IDENTITY"; name = String.format("node-%04d", i % nodes); pattern = "nodes/*"; actions = "pull";
                    }
                    ps.setString(1, familyId());
                    ps.setString(2, subjectKind);
                    ps.setString(3, name);
                    ps.setString(4, pattern);
                    ps.setString(5, actions);
                    ps.setLong(6, now - random.nextLong(365 * DAY));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        });
    }

    @FunctionalInterface
    private interface Rows {
        void write(Connection c, int from, int to) throws SQLException;
    }

    /** One transaction per BATCH rows: durable as Jeton's own writes, without a commit per row. */
    private void batches(String what, int count, Rows rows) {
        long start = System.nanoTime();
        for (int from = 0; from < count; from += BATCH) {
            int f = from;
            int to = Math.min(count, from + BATCH);
            db.write(c -> {
                rows.write(c, f, to);
                return null;
            });
        }
        System.err.printf("  %s: %,d in %.1f s%n", what, count, (System.nanoTime() - start) / 1e9);
    }

    private static String userName(int i) { return String.format("user-%07d", i + 1); }

    private static String appName(int i) { return String.format("app-%06d", i + 1); }

    private static String group(int i) { return String.format("team-%03d", i); }

    private String uuid() { return new UUID(random.nextLong(), random.nextLong()).toString(); }

    /** As RandomTokens.id: 16 random bytes, base64url. */
    private String familyId() { return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(16)); }

    private String b64(int n) { return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(n)); }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
