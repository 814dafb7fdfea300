package dev.jeton;

import dev.jeton.admin.ChangeTransactions;
import dev.jeton.audit.AdminAudit;
import dev.jeton.engine.AdminChanges;

import java.time.Clock;
import java.util.function.Consumer;

/** The admin API's changes, each recorded as the token subject's (dialect admin) and made as one store transaction. */
final class ApiChanges implements ChangeTransactions {
    private final AdminWiring admin;
    private final Clock clock;

    ApiChanges(AdminWiring admin, Clock clock) {
        this.admin = admin;
        this.clock = clock;
    }

    @Override
    public void run(String subject, Consumer<AdminChanges> work) {
        admin.inOneTransaction(held -> AdminAudit.apiCaller(held, clock, subject), made -> {
            work.accept(made);
            return null;
        });
    }

    @Override
    public AdminChanges outside(String subject) { return admin.changesBy(admin.apiAudit(subject)); }
}
