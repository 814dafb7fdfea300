package dev.jeton.admin.console;

import io.helidon.http.Method;

/** One group of console pages (clients, users...): the routes it adds under {@code /console}. */
interface ConsolePages {
    void routes(Routes routes);

    @FunctionalInterface
    interface Routes {
        /** {@code subPath} starts with '/'; a POST route checks the CSRF token before {@code handler} runs. */
        void add(Method method, String subPath, Handler handler);
    }

    @FunctionalInterface
    interface Handler {
        void handle(ConsoleCall call);
    }
}
