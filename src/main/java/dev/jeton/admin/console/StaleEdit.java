package dev.jeton.admin.console;

/**
 * A form posted from a version of an item that is no longer current: someone (another admin,
 * the API, the CLI, {@code apply}) changed it since the page was shown. Nothing was changed;
 * the console answers 409 with a link to {@code reloadPath}, where the current version is.
 */
final class StaleEdit extends RuntimeException {
    private final String reloadPath;

    StaleEdit(String what, String reloadPath) {
        super(what + " has changed since this page was shown", null, false, false);
        this.reloadPath = reloadPath;
    }

    String reloadPath() { return reloadPath; }
}
