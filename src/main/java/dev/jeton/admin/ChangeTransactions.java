package dev.jeton.admin;

import dev.jeton.engine.AdminChanges;

import java.util.function.Consumer;

/**
 * How admin API changes are made in the name of a token's subject. Most run as one store
 * transaction ({@link #run}): the If-Match check and the change it guards see the same state, and
 * no other admin change (another request, {@code jeton apply}, another instance) can land between
 * them; the audit lines are written once it commits, and a change that fails leaves nothing behind.
 */
public interface ChangeTransactions {
    void run(String subject, Consumer<AdminChanges> work);

    /**
     * Changes that are a compare-and-set in the store already (signing key rotation and
     * retirement), made outside a transaction: the key ring holds its own lock while it writes,
     * and that must not wait behind a transaction that waits for the same lock.
     */
    AdminChanges outside(String subject);
}
