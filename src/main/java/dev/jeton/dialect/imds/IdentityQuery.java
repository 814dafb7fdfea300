package dev.jeton.dialect.imds;

import dev.jeton.http.Form;
import dev.jeton.model.Failure;
import dev.jeton.model.TokenRequest.IdentitySelector;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The query of a managed-identity token request, read the same way on every endpoint that takes one. */
final class IdentityQuery {
    /** IMDS's names, which Arc's agent takes too; msi_res_id and mi_res_id are one selector spelled two ways. */
    private static final Map<String, IdentitySelector.Kind> IMDS_SELECTORS = new LinkedHashMap<>();

    static {
        IMDS_SELECTORS.put("client_id", IdentitySelector.Kind.CLIENT_ID);
        IMDS_SELECTORS.put("object_id", IdentitySelector.Kind.OBJECT_ID);
        IMDS_SELECTORS.put("msi_res_id", IdentitySelector.Kind.RESOURCE_ID);
        IMDS_SELECTORS.put("mi_res_id", IdentitySelector.Kind.RESOURCE_ID);
    }

    private IdentityQuery() {
    }

    /** The selector by IMDS's names. */
    static IdentitySelector imdsSelector(Form query) {
        return selector(query, IMDS_SELECTORS, "Only one of client_id, object_id and msi_res_id may be given");
    }

    /** The api-version, which must be one of {@code known}. */
    static String apiVersion(Form query, Set<String> known) {
        String apiVersion = query.single("api-version");
        if (apiVersion == null) throw Failure.invalidRequest("api-version", "Required api-version parameter not specified");
        if (!known.contains(apiVersion)) throw Failure.invalidRequest("api-version", "Invalid api-version " + shown(apiVersion));
        return apiVersion;
    }

    static String resource(Form query) {
        String resource = query.single("resource");
        if (resource == null || resource.isEmpty()) throw Failure.invalidRequest("resource", "Required audience parameter not specified");
        if (resource.length() > 1024) throw Failure.invalidRequest("resource", "resource is too long");
        return resource;
    }

    /** The one identity selector given, by the endpoint's names for them, or NONE; {@code whenSeveral} is the error for more than one. */
    static IdentitySelector selector(Form query, Map<String, IdentitySelector.Kind> names, String whenSeveral) {
        IdentitySelector selector = IdentitySelector.NONE;
        int given = 0;
        for (Map.Entry<String, IdentitySelector.Kind> name : names.entrySet()) {
            String value = query.single(name.getKey());
            if (value == null) continue;
            given++;
            selector = new IdentitySelector(name.getValue(), value);
        }
        if (given > 1) throw Failure.invalidRequest(whenSeveral);
        return selector;
    }

    static String shown(String s) {
        return s.length() > 32 ? s.substring(0, 32) + "..." : s;
    }
}
