package dev.jeton.admin;

import dev.jeton.engine.AdminChanges;

import java.util.function.Consumer;

/**
 * Runs one admin API change as one store transaction, in the name of a token's subject: the
 * If-Match check and the change it guards see the same state, and no other admin change (another
 * request, {@code jeton apply}, another instance) can land between them. Its audit lines are
 * written once the transaction commits; a change that fails leaves nothing behind.
 */
@FunctionalInterface
public interface ChangeTransactions {
    void run(String subject, Consumer<AdminChanges> work);
}
