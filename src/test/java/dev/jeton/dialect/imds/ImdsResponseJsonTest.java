package dev.jeton.dialect.imds;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jeton.http.Json;
import dev.jeton.model.IdentityToken;
import dev.jeton.model.Issued;
import dev.jeton.model.ManagedIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The IMDS answer writes its own JSON (JsonBody): it must say exactly what Jackson says for the same record. */
class ImdsResponseJsonTest {
    private static final ObjectMapper PLAIN = new ObjectMapper();

    private static ImdsDialect.Response response(boolean systemAssigned, String resource) {
        ManagedIdentity identity = new ManagedIdentity("id-1", "vm-1", "11111111-2222-3333-4444-555555555555",
                "66666666-7777-8888-9999-000000000000", "/subscriptions/s/resourceGroups/g/providers/x/vm-1", "tenant",
                systemAssigned ? "node-1" : null, List.of(), Instant.EPOCH);
        Instant issued = Instant.now().minusSeconds(10);
        Issued token = new Issued("eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln", "jti", issued, issued.plusSeconds(3600), Set.of(),
                identity.subject(), identity.clientId(), null, null);
        return ImdsDialect.Response.of(new IdentityToken(token, identity, resource));
    }

    @Test
    void jsonWhenUserAssignedThenBytesEqualJacksons() throws Exception {
        ImdsDialect.Response r = response(false, "https://management.azure.com/");
        assertThat(new String(r.json(), StandardCharsets.UTF_8))
                .isEqualTo(Json.MAPPER.writeValueAsString(r))
                .contains("\"object_id\":\"66666666-7777-8888-9999-000000000000\"", "\"msi_res_id\":");
    }

    @Test
    void jsonWhenSystemAssignedThenNullMembersLeftOutAsJacksonDoes() throws Exception {
        ImdsDialect.Response r = response(true, "https://vault.azure.net");
        assertThat(new String(r.json(), StandardCharsets.UTF_8)).isEqualTo(Json.MAPPER.writeValueAsString(r)).doesNotContain("object_id");
    }

    /** Escapes may be spelled differently (Jackson leaves DEL and non-ASCII as they are), but every value reads back the same. */
    @ParameterizedTest
    @ValueSource(strings = {"api://x\"y\\z", "tab\there\nnew line", "\u0001\u001f\u007f", "é ü 漢字 \u2028 \uD83D\uDE00", "\uD800 lone"})
    void jsonWhenResourceNeedsEscapesThenItReadsBackAsJacksonsDoes(String resource) throws Exception {
        ImdsDialect.Response r = response(false, resource);
        assertThat(PLAIN.readTree(r.json())).isEqualTo(PLAIN.readTree(Json.MAPPER.writeValueAsBytes(r)));
        assertThat(PLAIN.readTree(r.json()).get("resource").asText()).isEqualTo(resource);
    }
}
