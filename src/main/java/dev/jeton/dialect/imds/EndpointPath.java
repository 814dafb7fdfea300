package dev.jeton.dialect.imds;

/**
 * A managed-identity token path as the SDKs spell it: {@code //metadata/...} when the endpoint
 * they were given ends in '/' (Java's MSAL always, for IMDS), and {@code .../token/} from
 * msal-node, which appends a '/' to an endpoint taken from the environment.
 */
record EndpointPath(String path) {
    boolean matches(String rawPath) {
        int start = 0;
        while (start + 1 < rawPath.length() && rawPath.charAt(start + 1) == '/') start++;
        int end = rawPath.length();
        if (end - start > path.length() && rawPath.charAt(end - 1) == '/') end--;
        return rawPath.regionMatches(start, path, 0, path.length()) && end - start == path.length();
    }
}
