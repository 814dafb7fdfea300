package dev.jeton.http;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jeton.model.ClientAuth;
import dev.jeton.model.Failure;
import dev.jeton.model.Reason;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Basic header and client authentication (RFC 6749 2.3.1): credentials, nothing, or a
 * client error; never another exception; what a client encodes comes back as it was.
 */
class BasicCredentialsFuzzTest {

    @FuzzTest(maxDuration = "1m")
    void parseWhenAnyHeaderThenCredentialsThatRoundTripOrInvalidClient(byte[] header) {
        BasicCredentials parsed;
        try {
            parsed = BasicCredentials.parse(new String(header, StandardCharsets.UTF_8));
        } catch (Failure f) {
            assertThat(f.reason()).isEqualTo(Reason.INVALID_CLIENT);
            return;
        }
        if (parsed == null) return;
        assertThat(parsed.user()).doesNotContain(":");
        assertThat(BasicCredentials.parse(basic(parsed.user(), parsed.password()))).isEqualTo(parsed);
    }

    @FuzzTest(maxDuration = "1m")
    void readWhenAnyHeaderAndFormThenClientAuthOrClientError(FuzzedDataProvider data) {
        String authorization = switch (data.consumeInt(0, 3)) {
            case 0 -> null;
            case 1 -> "Basic " + data.consumeString(200);
            case 2 -> basic(data.consumeString(40), data.consumeString(40));
            default -> data.consumeString(200);
        };
        Form form;
        try {
            form = Form.parse(data.consumeRemainingAsString());
        } catch (Failure malformedForm) {
            return;
        }
        try {
            ClientAuth auth = ClientAuthReader.read(authorization, form);
            if (auth.method() == ClientAuth.Method.POST) assertThat(auth.secret()).isNotNull();
        } catch (Failure f) {
            assertThat(f.reason()).isIn(Reason.INVALID_CLIENT, Reason.INVALID_REQUEST);
        }
    }

    @FuzzTest(maxDuration = "1m")
    void readWhenIdAndSecretFormEncodedThenBothComeBackIntact(FuzzedDataProvider data) {
        String id = data.consumeString(64);
        String secret = data.consumeRemainingAsString();
        if (id.isEmpty() || !encodable(id) || !encodable(secret)) return;
        ClientAuth auth = ClientAuthReader.read(basic(encode(id), encode(secret)), Form.EMPTY);
        assertThat(auth.clientId()).isEqualTo(id);
        assertThat(auth.secret().value()).isEqualTo(secret);
        assertThat(auth.method()).isEqualTo(ClientAuth.Method.BASIC);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String encode(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    private static boolean encodable(String s) {
        return s.equals(new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    }
}
