package dev.jeton.dialect.oauth2;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jeton.http.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The token answer writes its own JSON (JsonBody): it must say exactly what Jackson says for the same record. */
class OAuth2WireJsonTest {
    private static final String JWT = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln";

    @Test
    void jsonWhenAccessTokenOnlyThenBytesEqualJacksons() throws Exception {
        OAuth2Wire.TokenResponse r = new OAuth2Wire.TokenResponse(JWT, "Bearer", 900, "", null, null, null);
        assertThat(new String(r.json(), StandardCharsets.UTF_8)).isEqualTo(Json.MAPPER.writeValueAsString(r))
                .isEqualTo("{\"access_token\":\"" + JWT + "\",\"token_type\":\"Bearer\",\"expires_in\":900,\"scope\":\"\"}");
    }

    @Test
    void jsonWhenEveryMemberSetThenBytesEqualJacksons() throws Exception {
        OAuth2Wire.TokenResponse r = new OAuth2Wire.TokenResponse(JWT, "N_A", 3600, "openid profile", "rt_abc-DEF", JWT,
                "urn:ietf:params:oauth:token-type:access_token");
        assertThat(new String(r.json(), StandardCharsets.UTF_8)).isEqualTo(Json.MAPPER.writeValueAsString(r));
    }

    /** Escapes may be spelled differently (Jackson leaves DEL and non-ASCII as they are), but every value reads back the same. */
    @ParameterizedTest
    @ValueSource(strings = {"a\"b\\c", "x\ty\nz", "\u0000\u007f", "é 漢字 \u2029 \uD83D\uDE00", "\uDC00"})
    void jsonWhenScopeNeedsEscapesThenItReadsBackAsJacksonsDoes(String scope) throws Exception {
        OAuth2Wire.TokenResponse r = new OAuth2Wire.TokenResponse(JWT, "Bearer", 60, scope, null, null, null);
        ObjectMapper plain = new ObjectMapper();
        assertThat(plain.readTree(r.json())).isEqualTo(plain.readTree(Json.MAPPER.writeValueAsBytes(r)));
        assertThat(plain.readTree(r.json()).get("scope").asText()).isEqualTo(scope);
    }
}
