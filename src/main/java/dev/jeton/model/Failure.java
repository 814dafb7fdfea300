package dev.jeton.model;

/**
 * The one error type that crosses layers. {@code detail} is safe to show a client; anything
 * only the operator may see goes to the log where the failure is raised. Expected failures
 * carry no stack trace, so bad input costs little.
 */
public final class Failure extends RuntimeException {
    private final Reason reason;
    private final String param;
    private final Code code;
    private final String check;
    private final long retryAfterSeconds;

    private Failure(Reason reason, String param, String detail, Throwable cause, boolean stackTrace, Code code, String check,
                    long retryAfterSeconds) {
        super(detail, cause, false, stackTrace);
        this.reason = reason;
        this.param = param;
        this.code = code;
        this.check = check;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    private Failure(Reason reason, String param, String detail, Throwable cause, boolean stackTrace, Code code) {
        this(reason, param, detail, cause, stackTrace, code, null, 0);
    }

    private Failure(Reason reason, String param, String detail, Throwable cause, boolean stackTrace) {
        this(reason, param, detail, cause, stackTrace, null);
    }

    /**
     * Finer causes that some dialects must tell apart on the wire (Occam answers an expired,
     * a used and an unknown refresh token differently); the others only read the reason.
     */
    public enum Code {
        REFRESH_UNKNOWN, REFRESH_EXPIRED, REFRESH_REUSED, REFRESH_REVOKED, BAD_CREDENTIALS, API_KEY_INVALID, API_KEY_EXPIRED,
        /** RFC 8628 3.5's polling answers, each an INVALID_GRANT with its own error code on the wire. */
        AUTHORIZATION_PENDING, SLOW_DOWN, EXPIRED_TOKEN, DEVICE_DENIED
    }

    public static Failure of(Reason reason, Code code, String detail) {
        return new Failure(reason, null, detail, null, false, code);
    }

    /** The finer cause, or null. */
    public Code code() { return code; }

    /** RATE_LIMITED, with how long the caller should wait (at least one second: HTTP's Retry-After counts whole seconds). */
    public static Failure rateLimited(String detail, long retryAfterSeconds) {
        return new Failure(Reason.RATE_LIMITED, null, detail, null, false, null, null, Math.max(1, retryAfterSeconds));
    }

    /**
     * UNAVAILABLE for a moment (the database cannot be reached): the caller may try again after
     * {@code retryAfterSeconds}. Keeps its cause for the operator's log; shows the client nothing of it.
     */
    public static Failure unavailable(String detail, long retryAfterSeconds, Throwable cause) {
        return new Failure(Reason.UNAVAILABLE, null, detail, cause, false, null, null, Math.max(1, retryAfterSeconds));
    }

    /** Seconds to wait before trying again, for RATE_LIMITED and UNAVAILABLE; at least 1. */
    public long retryAfterSeconds() { return Math.max(1, retryAfterSeconds); }

    public static Failure of(Reason reason, String detail) {
        return new Failure(reason, null, detail, null, false);
    }

    public static Failure of(Reason reason, String param, String detail) {
        return new Failure(reason, param, detail, null, false);
    }

    public static Failure invalidRequest(String detail) { return of(Reason.INVALID_REQUEST, detail); }

    public static Failure invalidRequest(String param, String detail) { return of(Reason.INVALID_REQUEST, param, detail); }

    public static Failure invalidClient(String detail) { return of(Reason.INVALID_CLIENT, detail); }

    public static Failure invalidGrant(String detail) { return of(Reason.INVALID_GRANT, detail); }

    public static Failure invalidScope(String detail) { return of(Reason.INVALID_SCOPE, "scope", detail); }

    public static Failure invalidToken(String detail) { return of(Reason.INVALID_TOKEN, detail); }

    public static Failure unauthorizedClient(String detail) { return of(Reason.UNAUTHORIZED_CLIENT, detail); }

    public static Failure unsupportedGrant(String detail) { return of(Reason.UNSUPPORTED_GRANT, "grant_type", detail); }

    public static Failure notFound(String detail) { return of(Reason.NOT_FOUND, detail); }

    /** An unexpected fault: keeps its cause for the log, shows the client nothing of it. */
    public static Failure internal(String detail, Throwable cause) {
        return new Failure(Reason.INTERNAL, null, detail, cause, true);
    }

    public Reason reason() { return reason; }

    /**
     * The same failure, naming the check that failed (e.g. {@code client.secret_mismatch}) for
     * the audit log, where an operator answers "why was I denied?". Never shown to the client,
     * so it may tell apart what the wire must not (unknown user or wrong password).
     */
    public Failure because(String failedCheck) {
        return new Failure(reason, param, getMessage(), getCause(), reason == Reason.INTERNAL, code, failedCheck, retryAfterSeconds);
    }

    /** The check that failed: as named by {@link #because}, else derived from the code or reason and param. */
    public String check() {
        if (check != null) return check;
        if (code != null) return switch (code) {
            case REFRESH_UNKNOWN -> "refresh.unknown";
            case REFRESH_EXPIRED -> "refresh.expired";
            case REFRESH_REUSED -> "refresh.reused";
            case REFRESH_REVOKED -> "refresh.revoked";
            case BAD_CREDENTIALS -> "credentials.bad";
            case API_KEY_INVALID -> "api_key.invalid";
            case API_KEY_EXPIRED -> "api_key.expired";
            case AUTHORIZATION_PENDING -> "device.pending";
            case SLOW_DOWN -> "device.slow_down";
            case EXPIRED_TOKEN -> "device.expired";
            case DEVICE_DENIED -> "device.denied";
        };
        String base = reason.name().toLowerCase(java.util.Locale.ROOT);
        return param == null ? base : base + "." + param;
    }

    /** The input at fault, or null. */
    public String param() { return param; }

    /** Text safe to show a client. */
    public String detail() { return getMessage(); }
}
