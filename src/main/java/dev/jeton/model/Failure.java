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

    private Failure(Reason reason, String param, String detail, Throwable cause, boolean stackTrace, Code code) {
        super(detail, cause, false, stackTrace);
        this.reason = reason;
        this.param = param;
        this.code = code;
    }

    private Failure(Reason reason, String param, String detail, Throwable cause, boolean stackTrace) {
        this(reason, param, detail, cause, stackTrace, null);
    }

    /**
     * Finer causes that some dialects must tell apart on the wire (Occam answers an expired,
     * a used and an unknown refresh token differently); the others only read the reason.
     */
    public enum Code {
        REFRESH_UNKNOWN, REFRESH_EXPIRED, REFRESH_REUSED, REFRESH_REVOKED, BAD_CREDENTIALS, API_KEY_INVALID, API_KEY_EXPIRED
    }

    public static Failure of(Reason reason, Code code, String detail) {
        return new Failure(reason, null, detail, null, false, code);
    }

    /** The finer cause, or null. */
    public Code code() { return code; }

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

    /** The input at fault, or null. */
    public String param() { return param; }

    /** Text safe to show a client. */
    public String detail() { return getMessage(); }
}
