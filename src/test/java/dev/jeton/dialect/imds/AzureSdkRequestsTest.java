package dev.jeton.dialect.imds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jeton.model.ManagedIdentity;
import dev.jeton.support.Jetons;
import dev.jeton.support.RawExchange;
import dev.jeton.support.RawExchange.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.jeton.config.Setting.IMDS_CONCURRENCY;
import static dev.jeton.config.Setting.IMDS_RATE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What each Azure Identity SDK sends to IMDS, byte for byte (request line, headers in their order
 * and case), and what it reads from the answer. Rows marked "captured" were recorded from the
 * real SDK against a socket that logs what it receives; the others are written from the SDK's
 * source (each row names the file). docs/imds.md has the same table in prose.
 */
class AzureSdkRequestsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private static final String PROBE_ANSWER = "{\"error\":\"invalid_request\",\"error_description\":\"Required metadata header not specified\"}";

    @TempDir
    static Path dir;
    static Jetons.Running jeton;
    static ManagedIdentity system;
    static ManagedIdentity user;

    @BeforeAll
    static void start() {
        // One instance for every row; the rate limit has its own test in ImdsWireTest.
        jeton = Jetons.start(dir, Clock.systemUTC(), Map.of(IMDS_RATE, "1000", IMDS_CONCURRENCY, "100"));
        system = jeton.wiring().admin().identities().add("vm", TENANT, null, "test-node");
        user = jeton.wiring().admin().identities().add("worker", TENANT, null, null);
        jeton.wiring().admin().identities().assign("worker", "test-node");
    }

    @AfterAll
    static void stop() { jeton.close(); }

    /** How an SDK turns a 200 body into a token and its expiry (epoch seconds), as its source does. */
    enum Reader {
        /** msal4j ManagedIdentityResponse: access_token, and expires_on as a number of seconds (required). */
        JAVA_MSAL4J {
            long expiry(JsonNode b) { return Long.parseLong(b.get("expires_on").asText()); }
        },
        /** msal-node BaseManagedIdentitySource.getServerTokenResponse: expires_on (JS coerces a numeric string), less now. */
        JS_MSAL_NODE {
            long expiry(JsonNode b) {
                assertThat(b.get("expires_on").asText()).as("msal-node parses an ISO date differently").matches("[0-9]+");
                return (long) Double.parseDouble(b.get("expires_on").asText());
            }
        },
        /** msal (Python) _obtain_token_on_azure_vm: needs access_token and a truthy expires_in, int(expires_in). */
        PY_MSAL {
            long expiry(JsonNode b) { return now() + Integer.parseInt(b.get("expires_in").asText()); }
        },
        /** azure-identity (Python, before MSAL) ManagedIdentityClient: int(expires_on or expires_in + request time). */
        PY_AZURE_IDENTITY {
            long expiry(JsonNode b) { return Long.parseLong(b.get("expires_on").asText()); }
        },
        /**
         * MSAL.NET ManagedIdentityResponse: expires_in and expires_on fill one field, the last one in
         * the document winning; DateTimeHelpers takes a value past 2001-01-01 for an epoch.
         */
        NET_MSAL {
            long expiry(JsonNode b) {
                String last = null;
                for (Iterator<String> names = b.fieldNames(); names.hasNext(); ) {
                    String n = names.next();
                    if (n.equals("expires_in") || n.equals("expires_on")) last = b.get(n).asText();
                }
                long v = Long.parseLong(last);
                return v >= 978_307_200L ? v : now() + v;
            }
        },
        /** MSAL Go accesstokens.TokenResponse: expires_on as an integer string; ext_expires_in and refresh_in must be integers. */
        GO_MSAL {
            long expiry(JsonNode b) {
                assertThat(Integer.parseInt(b.get("ext_expires_in").asText())).isPositive();
                if (b.has("refresh_in")) Integer.parseInt(b.get("refresh_in").asText());
                return Long.parseLong(b.get("expires_on").asText());
            }
        },
        /** azidentity (Go, before MSAL) createAccessToken: expires_in as a json.Number (a numeric string too) first. */
        GO_AZIDENTITY {
            long expiry(JsonNode b) { return now() + Long.parseLong(b.get("expires_in").asText()); }
        };

        abstract long expiry(JsonNode body);
    }

    /** What the SDK must conclude from the answer. */
    enum Outcome {
        /** 200 with the node's system-assigned identity's token. */
        SYSTEM_TOKEN,
        /** 200 with the user-assigned identity's token. */
        USER_TOKEN,
        /** The probe got an IMDS answer: 400 JSON without "Identity not found" (.NET) or "unreachable" (JS, Python, Go). */
        PROBE_ANSWERED,
        /** Not IMDSv2 (MSAL.NET's discovery): anything but 400; Jeton answers 404. */
        NOT_IMDS_V2,
        /** 400 "Identity not found": the SDKs report the identity unavailable. */
        IDENTITY_NOT_FOUND,
        /** 400 for a request that came through a proxy. */
        PROXIED,
        /** 400 for a parameter given twice. */
        PARAMETER_TWICE
    }

    record Row(String request, Outcome outcome, Reader reader) {
    }

    /** The request's lines; an empty line ends the head early, and what follows it is the body. */
    private static Arguments row(String name, Outcome outcome, Reader reader, String... lines) {
        String request = String.join("\r\n", lines);
        return Arguments.of(name, new Row(List.of(lines).contains("") ? request : request + "\r\n\r\n", outcome, reader));
    }

    static Stream<Arguments> requests() {
        return Stream.of(
                // ---- JavaScript: @azure/identity 4.13.1 with @azure/msal-node 5.6.0 (npm), captured; msal-node 7.2.4
                // under @azure/identity 4.14.1 sends the same bytes. Path: msal-node's UrlString.canonicalizeUri appends
                // '/' to an endpoint taken from AZURE_POD_IDENTITY_AUTHORITY_HOST (AzureAD/microsoft-authentication-
                // library-for-js lib/msal-node/src/client/ManagedIdentitySources/Imds.ts, BaseManagedIdentitySource.ts;
                // msal-common src/url/UrlString.ts). Resource id as msi_res_id.
                row("js probe (DefaultAzureCredential, sendProbeRequest)", Outcome.PROBE_ANSWERED, null,
                        // Azure/azure-sdk-for-js sdk/identity/identity/src/credentials/managedIdentityCredential/imdsMsi.ts:
                        // no query, no Metadata, 1 s timeout; any answer but a 403 mentioning "unreachable" means available.
                        "GET /metadata/identity/oauth2/token HTTP/1.1",
                        "Accept: application/json",
                        "Accept-Encoding: gzip,deflate",
                        "User-Agent: azsdk-js-identity/4.13.1 core-rest-pipeline/1.24.0 Node/20.20.2 (Linux 6.18.44; x64)",
                        "x-ms-client-request-id: a1fa4b7a-4ecf-4eb6-a783-59afb4ae03ab",
                        "Host: 169.254.169.254",
                        "Connection: keep-alive"),
                row("js system-assigned", Outcome.SYSTEM_TOKEN, Reader.JS_MSAL_NODE,
                        "GET /metadata/identity/oauth2/token/?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net HTTP/1.1",
                        "Metadata: true",
                        "x-client-SKU: msal.js.node",
                        "x-client-VER: 5.6.0",
                        "x-ms-client-request-id: 02261aca-92c3-42d6-991f-2749b648c6c2",
                        "Content-Type: application/x-www-form-urlencoded;charset=utf-8",
                        "Accept-Encoding: gzip,deflate",
                        "User-Agent: azsdk-js-identity/4.13.1 core-rest-pipeline/1.24.0 Node/20.20.2 (Linux 6.18.44; x64)",
                        "Host: 169.254.169.254",
                        "Connection: keep-alive"),
                row("js client_id", Outcome.USER_TOKEN, Reader.JS_MSAL_NODE,
                        "GET /metadata/identity/oauth2/token/?api-version=2018-02-01&resource=https%3A%2F%2Fstorage.azure.com&client_id={client_id} HTTP/1.1",
                        "Metadata: true",
                        "x-client-SKU: msal.js.node",
                        "x-client-VER: 5.6.0",
                        "x-ms-client-request-id: 9051e081-ba04-458a-9ce4-580ef0eec9d7",
                        "Content-Type: application/x-www-form-urlencoded;charset=utf-8",
                        "Accept-Encoding: gzip,deflate",
                        "User-Agent: azsdk-js-identity/4.13.1 core-rest-pipeline/1.24.0 Node/20.20.2 (Linux 6.18.44; x64)",
                        "Host: 169.254.169.254",
                        "Connection: keep-alive"),
                row("js msi_res_id", Outcome.USER_TOKEN, Reader.JS_MSAL_NODE,
                        "GET /metadata/identity/oauth2/token/?api-version=2018-02-01&resource=https%3A%2F%2Fmanagement.azure.com&msi_res_id={resource_id_encoded} HTTP/1.1",
                        "Metadata: true",
                        "x-client-SKU: msal.js.node",
                        "x-client-VER: 5.6.0",
                        "x-ms-client-request-id: 954e27d5-b553-4577-8d53-19da8c6d8341",
                        "Content-Type: application/x-www-form-urlencoded;charset=utf-8",
                        "Accept-Encoding: gzip,deflate",
                        "User-Agent: azsdk-js-identity/4.13.1 core-rest-pipeline/1.24.0 Node/20.20.2 (Linux 6.18.44; x64)",
                        "Host: 169.254.169.254",
                        "Connection: keep-alive"),
                row("js object_id", Outcome.USER_TOKEN, Reader.JS_MSAL_NODE,
                        "GET /metadata/identity/oauth2/token/?api-version=2018-02-01&resource=api%3A%2F%2Fx&object_id={object_id} HTTP/1.1",
                        "Metadata: true",
                        "x-client-SKU: msal.js.node",
                        "x-client-VER: 7.2.4",
                        "x-ms-client-request-id: bbcb89e9-10d3-4fc9-b481-792c3e05c83c",
                        "Content-Type: application/x-www-form-urlencoded;charset=utf-8",
                        "Accept-Encoding: gzip,deflate",
                        "User-Agent: azsdk-js-identity/4.14.1 core-rest-pipeline/1.24.0 Node/20.20.2 (Linux 6.18.44; x64)",
                        "Host: 169.254.169.254",
                        "Connection: keep-alive"),
                row("js authority host ending in '/' (doubled and trailing slash)", Outcome.SYSTEM_TOKEN, Reader.JS_MSAL_NODE,
                        "GET //metadata/identity/oauth2/token/?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net HTTP/1.1",
                        "Metadata: true",
                        "x-client-SKU: msal.js.node",
                        "x-client-VER: 5.6.0",
                        "x-ms-client-request-id: 4bb52b4c-9b6c-4cb2-a1a1-cf219ab4efb3",
                        "Content-Type: application/x-www-form-urlencoded;charset=utf-8",
                        "Accept-Encoding: gzip,deflate",
                        "User-Agent: azsdk-js-identity/4.13.1 core-rest-pipeline/1.24.0 Node/20.20.2 (Linux 6.18.44; x64)",
                        "Host: 169.254.169.254",
                        "Connection: keep-alive"),

                // ---- Java: azure-identity 1.18.4 with msal4j 1.23.1 (Maven Central, azure-sdk-bom 1.3.8), captured.
                // Always the doubled slash; mi_res_id; parameters in insertion order except mi_res_id. Its
                // DefaultAzureCredential probe only opens a TCP connection (captured: no bytes).
                row("java system-assigned", Outcome.SYSTEM_TOKEN, Reader.JAVA_MSAL4J,
                        "GET //metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net HTTP/1.1",
                        "host: 169.254.169.254",
                        "accept: */*",
                        "Metadata: true",
                        "User-Agent: azsdk-java-azure-identity/1.18.4 (25.0.3; Linux; 6.18.44)"),
                row("java client_id", Outcome.USER_TOKEN, Reader.JAVA_MSAL4J,
                        "GET //metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fstorage.azure.com&client_id={client_id} HTTP/1.1",
                        "host: 169.254.169.254",
                        "accept: */*",
                        "Metadata: true",
                        "User-Agent: azsdk-java-azure-identity/1.18.4 (25.0.3; Linux; 6.18.44)"),
                row("java mi_res_id", Outcome.USER_TOKEN, Reader.JAVA_MSAL4J,
                        "GET //metadata/identity/oauth2/token?api-version=2018-02-01&mi_res_id={resource_id_encoded}&resource=https%3A%2F%2Fmanagement.azure.com HTTP/1.1",
                        "host: 169.254.169.254",
                        "accept: */*",
                        "Metadata: true",
                        "User-Agent: azsdk-java-azure-identity/1.18.4 (25.0.3; Linux; 6.18.44)"),
                row("java object_id", Outcome.USER_TOKEN, Reader.JAVA_MSAL4J,
                        "GET //metadata/identity/oauth2/token?api-version=2018-02-01&resource=api%3A%2F%2Fx&object_id={object_id} HTTP/1.1",
                        "host: 169.254.169.254",
                        "accept: */*",
                        "Metadata: true",
                        "User-Agent: azsdk-java-azure-identity/1.18.4 (25.0.3; Linux; 6.18.44)"),

                // ---- Python: azure-identity (Azure/azure-sdk-for-python sdk/identity/azure-identity/azure/identity/
                // _credentials/imds.py, _internal/msal_managed_identity_client.py, _internal/msal_client.py) over azure-core
                // and requests. azure-core's HttpRequest.format_parameters joins k=v without percent-encoding, and
                // requests' requote_uri leaves ':' and '/' alone, so the resource goes raw. Headers: requests' session
                // defaults first (User-Agent replaced by azure-core's), then the request's own.
                row("python probe (DefaultAzureCredential, within_credential_chain)", Outcome.PROBE_ANSWERED, null,
                        // imds.py ImdsCredential._request_token: the same request without Metadata, connection_timeout=1,
                        // retry_total=0; any HTTP answer means available (a 403 mentioning "unreachable" does not).
                        "GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net HTTP/1.1",
                        "Host: 169.254.169.254",
                        "User-Agent: azsdk-python-identity/1.23.0 Python/3.12.3 (Linux-6.8.0-x86_64-with-glibc2.39)",
                        "Accept-Encoding: gzip, deflate",
                        "Accept: */*",
                        "Connection: keep-alive",
                        "x-ms-client-request-id: 5f0c0b0e-8d0e-11f0-9d8c-0242ac120002"),
                row("python system-assigned (msal ManagedIdentityClient)", Outcome.SYSTEM_TOKEN, Reader.PY_MSAL,
                        // AzureAD/microsoft-authentication-library-for-python msal/managed_identity.py _obtain_token_on_azure_vm
                        // (commit 00539ca8): AZURE_POD_IDENTITY_AUTHORITY_HOST.strip("/") + path; Metadata, x-client-SKU,
                        // x-client-Ver, x-ms-client-request-id; reads access_token and expires_in
                        "GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net HTTP/1.1",
                        "Host: 169.254.169.254",
                        "User-Agent: azsdk-python-identity/1.23.0 Python/3.12.3 (Linux-6.8.0-x86_64-with-glibc2.39)",
                        "Accept-Encoding: gzip, deflate",
                        "Accept: */*",
                        "Connection: keep-alive",
                        "Metadata: true",
                        "x-client-SKU: MSAL.Python",
                        "x-client-Ver: 1.34.0",
                        "x-ms-client-request-id: 5f0c0b0f-8d0e-11f0-9d8c-0242ac120002"),
                row("python client_id (msal)", Outcome.USER_TOKEN, Reader.PY_MSAL,
                        "GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://storage.azure.com&client_id={client_id} HTTP/1.1",
                        "Host: 169.254.169.254",
                        "User-Agent: azsdk-python-identity/1.23.0 Python/3.12.3 (Linux-6.8.0-x86_64-with-glibc2.39)",
                        "Accept-Encoding: gzip, deflate",
                        "Accept: */*",
                        "Connection: keep-alive",
                        "Metadata: true",
                        "x-client-SKU: MSAL.Python",
                        "x-client-Ver: 1.34.0",
                        "x-ms-client-request-id: 5f0c0b10-8d0e-11f0-9d8c-0242ac120002"),
                row("python msi_res_id raw (msal)", Outcome.USER_TOKEN, Reader.PY_MSAL,
                        "GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com&msi_res_id={resource_id} HTTP/1.1",
                        "Host: 169.254.169.254",
                        "User-Agent: azsdk-python-identity/1.23.0 Python/3.12.3 (Linux-6.8.0-x86_64-with-glibc2.39)",
                        "Accept-Encoding: gzip, deflate",
                        "Accept: */*",
                        "Connection: keep-alive",
                        "Metadata: true",
                        "x-client-SKU: MSAL.Python",
                        "x-client-Ver: 1.34.0",
                        "x-ms-client-request-id: 5f0c0b11-8d0e-11f0-9d8c-0242ac120002"),
                row("python object_id (msal)", Outcome.USER_TOKEN, Reader.PY_MSAL,
                        "GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=api://x&object_id={object_id} HTTP/1.1",
                        "Host: 169.254.169.254",
                        "User-Agent: azsdk-python-identity/1.23.0 Python/3.12.3 (Linux-6.8.0-x86_64-with-glibc2.39)",
                        "Accept-Encoding: gzip, deflate",
                        "Accept: */*",
                        "Connection: keep-alive",
                        "Metadata: true",
                        "x-client-SKU: MSAL.Python",
                        "x-client-Ver: 1.34.0",
                        "x-ms-client-request-id: 5f0c0b12-8d0e-11f0-9d8c-0242ac120002"),
                row("python identity_config mi_res_id (azure-identity before MSAL)", Outcome.USER_TOKEN, Reader.PY_AZURE_IDENTITY,
                        // imds.py _get_request: dict({"api-version", "resource"}, **identity_config), whatever key the caller chose
                        "GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com&mi_res_id={resource_id} HTTP/1.1",
                        "Host: 169.254.169.254",
                        "User-Agent: azsdk-python-identity/1.15.0 Python/3.11.7 (Linux-6.8.0-x86_64-with-glibc2.36)",
                        "Accept-Encoding: gzip, deflate",
                        "Accept: */*",
                        "Connection: keep-alive",
                        "Metadata: true",
                        "x-ms-client-request-id: 5f0c0b13-8d0e-11f0-9d8c-0242ac120002"),
                row("python plain msal over requests (az login --identity)", Outcome.SYSTEM_TOKEN, Reader.PY_MSAL,
                        // msal/managed_identity.py with a requests.Session: requests urlencodes params (quote_plus)
                        "GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fmanagement.core.windows.net%2F HTTP/1.1",
                        "Host: 169.254.169.254",
                        "User-Agent: python-requests/2.32.3",
                        "Accept-Encoding: gzip, deflate",
                        "Accept: */*",
                        "Connection: keep-alive",
                        "Metadata: true",
                        "x-client-SKU: MSAL.Python",
                        "x-client-Ver: 1.34.0",
                        "x-ms-client-request-id: 9a3e51f2-6c4d-4b1a-8e2f-0c7d5b3a1e90"),

                // ---- .NET: Azure.Identity (Azure/azure-sdk-for-net sdk/identity/Azure.Identity/src/
                // ImdsManagedIdentityProbeSource.cs) probes in DefaultAzureCredential, then MSAL.NET sends the token request
                // (AzureAD/microsoft-authentication-library-for-dotnet src/client/Microsoft.Identity.Client/ManagedIdentity/
                // ImdsManagedIdentitySource.cs, ManagedIdentityRequest.cs, Utils/UriBuilderExtensions.cs: k=v joined
                // without escaping; System.Uri leaves ':' and '/' in a query). SocketsHttpHandler writes Host first.
                row("dotnet Azure.Identity probe", Outcome.PROBE_ANSWERED, null,
                        // AppendQuery escapes; no Metadata; 400 without "Identity not found" means: resend through MSAL
                        "GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net HTTP/1.1",
                        "Host: 169.254.169.254",
                        "x-ms-client-request-id: 0d7c8f6a-3b1e-4f55-a7d4-2b6a1c9e8f10",
                        "x-ms-return-client-request-id: true",
                        "User-Agent: azsdk-net-Identity/1.17.0 (.NET 8.0.19; Ubuntu 24.04.2 LTS)"),
                row("dotnet Azure.Identity probe with its msi-res-id spelling", Outcome.PROBE_ANSWERED, null,
                        "GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net&msi-res-id={resource_id_encoded} HTTP/1.1",
                        "Host: 169.254.169.254",
                        "x-ms-client-request-id: 0d7c8f6a-3b1e-4f55-a7d4-2b6a1c9e8f11",
                        "x-ms-return-client-request-id: true",
                        "User-Agent: azsdk-net-Identity/1.17.0 (.NET 8.0.19; Ubuntu 24.04.2 LTS)"),
                row("dotnet MSAL discovery: IMDSv2 probe", Outcome.NOT_IMDS_V2, null,
                        // ImdsManagedIdentitySource.ProbeImdsEndpointAsync(V2): a 400 here would send MSAL down the mTLS PoP path
                        "GET /metadata/identity/getplatformmetadata?cred-api-version=2.0 HTTP/1.1",
                        "Host: 169.254.169.254",
                        "x-ms-client-request-id: 0d7c8f6a-3b1e-4f55-a7d4-2b6a1c9e8f12"),
                row("dotnet MSAL 4.7x credential-endpoint probe (POST '.')", Outcome.NOT_IMDS_V2, null,
                        // ImdsCredentialProbeManager in MSAL.NET's first IMDSv2 previews: POST /metadata/identity/credential, body "."
                        "POST /metadata/identity/credential?cred-api-version=1.0 HTTP/1.1",
                        "Host: 169.254.169.254",
                        "Content-Length: 1",
                        "",
                        "."),
                row("dotnet MSAL discovery: IMDSv1 probe", Outcome.PROBE_ANSWERED, null,
                        // ProbeImdsEndpointAsync(V1): api-version and the selector, no resource, no Metadata; 400 = available
                        "GET /metadata/identity/oauth2/token?api-version=2018-02-01&client_id={client_id} HTTP/1.1",
                        "Host: 169.254.169.254",
                        "x-ms-client-request-id: 0d7c8f6a-3b1e-4f55-a7d4-2b6a1c9e8f13"),
                row("dotnet system-assigned (MSAL.NET)", Outcome.SYSTEM_TOKEN, Reader.NET_MSAL,
                        "GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net HTTP/1.1",
                        "Host: 169.254.169.254",
                        "Metadata: true",
                        "x-client-SKU: MSAL.NetCore",
                        "x-client-Ver: 4.78.0.0",
                        "x-ms-client-request-id: 0d7c8f6a-3b1e-4f55-a7d4-2b6a1c9e8f14",
                        "x-ms-return-client-request-id: true",
                        "User-Agent: azsdk-net-Identity/1.17.0 (.NET 8.0.19; Ubuntu 24.04.2 LTS)"),
                row("dotnet client_id (MSAL.NET)", Outcome.USER_TOKEN, Reader.NET_MSAL,
                        "GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://storage.azure.com&client_id={client_id} HTTP/1.1",
                        "Host: 169.254.169.254",
                        "Metadata: true",
                        "x-client-SKU: MSAL.NetCore",
                        "x-client-Ver: 4.78.0.0",
                        "x-ms-client-request-id: 0d7c8f6a-3b1e-4f55-a7d4-2b6a1c9e8f15"),
                row("dotnet msi_res_id raw (MSAL.NET)", Outcome.USER_TOKEN, Reader.NET_MSAL,
                        "GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com&msi_res_id={resource_id} HTTP/1.1",
                        "Host: 169.254.169.254",
                        "Metadata: true",
                        "x-client-SKU: MSAL.NetCore",
                        "x-client-Ver: 4.78.0.0",
                        "x-ms-client-request-id: 0d7c8f6a-3b1e-4f55-a7d4-2b6a1c9e8f16"),
                row("dotnet object_id (MSAL.NET)", Outcome.USER_TOKEN, Reader.NET_MSAL,
                        "GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=api://x&object_id={object_id} HTTP/1.1",
                        "Host: 169.254.169.254",
                        "Metadata: true",
                        "x-client-SKU: MSAL.NetCore",
                        "x-client-Ver: 4.78.0.0",
                        "x-ms-client-request-id: 0d7c8f6a-3b1e-4f55-a7d4-2b6a1c9e8f17"),

                // ---- Go: MSAL Go (AzureAD/microsoft-authentication-library-for-go apps/managedidentity/managedidentity.go,
                // v1.9.0) builds the request azidentity sends: url.Values.Encode sorts the keys and escapes with
                // QueryEscape; Header.Set canonicalizes names; net/http writes Host, User-Agent, the headers sorted,
                // then Accept-Encoding: gzip.
                row("go probe (DefaultAzureCredential)", Outcome.PROBE_ANSWERED, null,
                        // azidentity's DefaultAzureCredential IMDS probe: no query, no Metadata; the body must be JSON
                        "GET /metadata/identity/oauth2/token HTTP/1.1",
                        "Host: 169.254.169.254",
                        "User-Agent: azsdk-go-azidentity/v1.11.0 (go1.24.4; linux)",
                        "Accept-Encoding: gzip"),
                row("go system-assigned (MSAL Go)", Outcome.SYSTEM_TOKEN, Reader.GO_MSAL,
                        "GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net HTTP/1.1",
                        "Host: 169.254.169.254",
                        "User-Agent: azsdk-go-azidentity/v1.11.0 (go1.24.4; linux)",
                        "Metadata: true",
                        "X-Client-Sku: MSAL.Go",
                        "X-Client-Ver: 1.4.2",
                        "X-Ms-Client-Request-Id: 6c1a9f4e-2b7d-4e0a-9c5b-8d3f1e2a7b60",
                        "Accept-Encoding: gzip"),
                row("go client_id (MSAL Go)", Outcome.USER_TOKEN, Reader.GO_MSAL,
                        "GET /metadata/identity/oauth2/token?api-version=2018-02-01&client_id={client_id}&resource=https%3A%2F%2Fstorage.azure.com HTTP/1.1",
                        "Host: 169.254.169.254",
                        "User-Agent: azsdk-go-azidentity/v1.11.0 (go1.24.4; linux)",
                        "Metadata: true",
                        "X-Client-Sku: MSAL.Go",
                        "X-Client-Ver: 1.4.2",
                        "X-Ms-Client-Request-Id: 6c1a9f4e-2b7d-4e0a-9c5b-8d3f1e2a7b61",
                        "Accept-Encoding: gzip"),
                row("go msi_res_id (MSAL Go)", Outcome.USER_TOKEN, Reader.GO_MSAL,
                        "GET /metadata/identity/oauth2/token?api-version=2018-02-01&msi_res_id={resource_id_encoded}&resource=https%3A%2F%2Fmanagement.azure.com HTTP/1.1",
                        "Host: 169.254.169.254",
                        "User-Agent: azsdk-go-azidentity/v1.11.0 (go1.24.4; linux)",
                        "Metadata: true",
                        "X-Client-Sku: MSAL.Go",
                        "X-Client-Ver: 1.4.2",
                        "X-Ms-Client-Request-Id: 6c1a9f4e-2b7d-4e0a-9c5b-8d3f1e2a7b62",
                        "Accept-Encoding: gzip"),
                row("go object_id (MSAL Go)", Outcome.USER_TOKEN, Reader.GO_MSAL,
                        "GET /metadata/identity/oauth2/token?api-version=2018-02-01&object_id={object_id}&resource=api%3A%2F%2Fx HTTP/1.1",
                        "Host: 169.254.169.254",
                        "User-Agent: azsdk-go-azidentity/v1.11.0 (go1.24.4; linux)",
                        "Metadata: true",
                        "X-Client-Sku: MSAL.Go",
                        "X-Client-Ver: 1.4.2",
                        "X-Ms-Client-Request-Id: 6c1a9f4e-2b7d-4e0a-9c5b-8d3f1e2a7b63",
                        "Accept-Encoding: gzip"),
                row("go mi_res_id (azidentity before MSAL)", Outcome.USER_TOKEN, Reader.GO_AZIDENTITY,
                        // Azure/azure-sdk-for-go sdk/azidentity/managed_identity_client.go createIMDSAuthRequest (qpResID = "mi_res_id")
                        "GET /metadata/identity/oauth2/token?api-version=2018-02-01&mi_res_id={resource_id_encoded}&resource=https%3A%2F%2Fmanagement.azure.com HTTP/1.1",
                        "Host: 169.254.169.254",
                        "User-Agent: azsdk-go-azidentity/v1.3.0 (go1.20.5; linux)",
                        "Metadata: true",
                        "Accept-Encoding: gzip"),

                // ---- curl, as Azure's documentation shows it, with bypass_cache (api-version 2023-07-01 and later)
                row("curl bypass_cache", Outcome.SYSTEM_TOKEN, Reader.PY_AZURE_IDENTITY,
                        "GET /metadata/identity/oauth2/token?api-version=2023-07-01&resource=https://vault.azure.net&bypass_cache=true HTTP/1.1",
                        "Host: 169.254.169.254",
                        "User-Agent: curl/8.14.1",
                        "Accept: */*",
                        "Metadata:true"),

                // ---- What must stay refused, in the SDKs' own bytes
                row("js identity not assigned to this node", Outcome.IDENTITY_NOT_FOUND, null,
                        "GET /metadata/identity/oauth2/token/?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net&client_id=00000000-1111-2222-3333-444444444444 HTTP/1.1",
                        "Metadata: true",
                        "x-client-SKU: msal.js.node",
                        "x-client-VER: 5.6.0",
                        "x-ms-client-request-id: 02261aca-92c3-42d6-991f-2749b648c6c3",
                        "Content-Type: application/x-www-form-urlencoded;charset=utf-8",
                        "Accept-Encoding: gzip,deflate",
                        "User-Agent: azsdk-js-identity/4.13.1 core-rest-pipeline/1.24.0 Node/20.20.2 (Linux 6.18.44; x64)",
                        "Host: 169.254.169.254",
                        "Connection: keep-alive"),
                row("java request through a proxy", Outcome.PROXIED, null,
                        "GET //metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net HTTP/1.1",
                        "host: 169.254.169.254",
                        "accept: */*",
                        "Metadata: true",
                        "User-Agent: azsdk-java-azure-identity/1.18.4 (25.0.3; Linux; 6.18.44)",
                        "X-Forwarded-For: 10.1.2.3"),
                row("go resource given twice", Outcome.PARAMETER_TWICE, null,
                        "GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net&resource=api%3A%2F%2Fx HTTP/1.1",
                        "Host: 169.254.169.254",
                        "User-Agent: azsdk-go-azidentity/v1.11.0 (go1.24.4; linux)",
                        "Metadata: true",
                        "Accept-Encoding: gzip"));
    }

    private static String filled(String request) {
        return request.replace("{client_id}", user.clientId()).replace("{object_id}", user.objectId())
                .replace("{resource_id_encoded}", URLEncoder.encode(user.resourceId(), StandardCharsets.UTF_8))
                .replace("{resource_id}", user.resourceId());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void sdkRequestWhenSentAsTheSdkWritesItThenTheAnswerTheSdkNeeds(String name, Row row) throws Exception {
        String request = filled(row.request());
        Reply reply = RawExchange.send(jeton.wiring().imdsPort(), request);
        assertThat(reply.headers().get("content-type")).as(reply.body()).startsWith("application/json");
        JsonNode body = JSON.readTree(reply.body());
        switch (row.outcome()) {
            case SYSTEM_TOKEN, USER_TOKEN -> {
                assertThat(reply.status()).as(reply.body()).isEqualTo(200);
                ManagedIdentity expected = row.outcome() == Outcome.SYSTEM_TOKEN ? system : user;
                assertThat(body.get("client_id").asText()).isEqualTo(expected.clientId());
                assertThat(body.get("access_token").asText()).isNotEmpty();
                assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
                assertThat(body.get("resource").asText()).isEqualTo(requestedResource(request));
                body.fields().forEachRemaining(f -> assertThat(f.getValue().isTextual()).as(f.getKey()).isTrue());
                assertThat(fieldNames(body)).as("expires_on after expires_in, for MSAL.NET").containsSubsequence("expires_in", "expires_on");
                assertThat(row.reader().expiry(body) - now()).isBetween(3000L, 3700L);
            }
            case PROBE_ANSWERED -> {
                assertThat(reply.status()).isEqualTo(400);
                assertThat(reply.body()).isEqualTo(PROBE_ANSWER).doesNotContain("Identity not found").doesNotContain("unreachable");
            }
            case NOT_IMDS_V2 -> {
                assertThat(reply.status()).isEqualTo(404);
                assertThat(body.get("error").asText()).isEqualTo("not_found");
            }
            case IDENTITY_NOT_FOUND -> {
                assertThat(reply.status()).isEqualTo(400);
                assertThat(reply.body()).isEqualTo("{\"error\":\"invalid_request\",\"error_description\":\"Identity not found\"}");
            }
            case PROXIED -> {
                assertThat(reply.status()).isEqualTo(400);
                assertThat(body.get("error_description").asText()).contains("X-Forwarded-For");
            }
            case PARAMETER_TWICE -> {
                assertThat(reply.status()).isEqualTo(400);
                assertThat(body.get("error_description").asText()).isEqualTo("parameter 'resource' was sent more than once");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "two trailing slashes|/metadata/identity/oauth2/token//?api-version=2018-02-01&resource=x|404|not_found|no such IMDS endpoint",
            "trailing slash elsewhere|/metadata/identity/oauth2/?api-version=2018-02-01&resource=x|404|not_found|no such IMDS endpoint",
            "IMDSv2 path with Metadata|/metadata/identity/getplatformmetadata?cred-api-version=2.0|404|not_found|no such IMDS endpoint",
            "token_sha256_to_refresh twice|/metadata/identity/oauth2/token/?api-version=2018-02-01&resource=x&token_sha256_to_refresh=a&token_sha256_to_refresh=b|400|invalid_request|parameter 'token_sha256_to_refresh' was sent more than once",
            "token_sha256_to_refresh over 128|/metadata/identity/oauth2/token/?api-version=2018-02-01&resource=x&token_sha256_to_refresh=HASH_129|400|invalid_request|token_sha256_to_refresh is too long"})
    void requestWhenOutsideWhatTheSdksSendThenImdsErrorShape(String name, String target, int status, String error, String description) {
        Reply reply = RawExchange.send(jeton.wiring().imdsPort(), "GET " + target.replace("HASH_129", "a".repeat(129))
                + " HTTP/1.1\r\nHost: 169.254.169.254\r\nMetadata: true\r\n\r\n");
        assertThat(reply.status()).isEqualTo(status);
        assertThat(reply.body()).isEqualTo("{\"error\":\"" + error + "\",\"error_description\":\"" + description + "\"}");
    }

    @Test
    void probeThenTokenWhenOnOneKeptAliveConnectionThenBothAnswered() throws Exception {
        // JS and Go reuse the probe's connection for the token request (Connection: keep-alive).
        List<Reply> replies = RawExchange.sendAll(jeton.wiring().imdsPort(), List.of(
                "GET /metadata/identity/oauth2/token HTTP/1.1\r\nHost: 169.254.169.254\r\nUser-Agent: azsdk-go-azidentity/v1.11.0 (go1.24.4; linux)\r\n"
                        + "Accept-Encoding: gzip\r\n\r\n",
                "GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net HTTP/1.1\r\n"
                        + "Host: 169.254.169.254\r\nUser-Agent: azsdk-go-azidentity/v1.11.0 (go1.24.4; linux)\r\nMetadata: true\r\nX-Client-Sku: MSAL.Go\r\n"
                        + "Accept-Encoding: gzip\r\n\r\n"));
        assertThat(replies.get(0).status()).isEqualTo(400);
        assertThat(replies.get(1).status()).as(replies.get(1).body()).isEqualTo(200);
        assertThat(JSON.readTree(replies.get(1).body()).get("client_id").asText()).isEqualTo(system.clientId());
    }

    @Test
    void claimsChallengeWhenTokenSha256ToRefreshNamesTheCachedTokenThenANewOne() throws Exception {
        // msal-node, MSAL.NET and msal (Python) send the SHA-256 (hex) of the token a resource refused, with xms_cc,
        // when the app passes the resource's claims challenge: IMDS answers a new token instead of its cached one.
        String js = "GET /metadata/identity/oauth2/token/?api-version=2018-02-01&resource=api%3A%2F%2Fcae{extra} HTTP/1.1\r\nMetadata: true\r\n"
                + "x-client-SKU: msal.js.node\r\nContent-Type: application/x-www-form-urlencoded;charset=utf-8\r\nHost: 169.254.169.254\r\n"
                + "Connection: keep-alive\r\n\r\n";
        int port = jeton.wiring().imdsPort();
        String first = token(RawExchange.send(port, js.replace("{extra}", "")));
        assertThat(token(RawExchange.send(port, js.replace("{extra}", "")))).as("served from cache").isEqualTo(first);
        String other = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest("another token".getBytes(StandardCharsets.US_ASCII)));
        assertThat(token(RawExchange.send(port, js.replace("{extra}", "&token_sha256_to_refresh=" + other + "&xms_cc=cp1"))))
                .as("a hash of another token leaves the cache alone").isEqualTo(first);
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(first.getBytes(StandardCharsets.US_ASCII)));
        String renewed = token(RawExchange.send(port, js.replace("{extra}", "&token_sha256_to_refresh=" + hash + "&xms_cc=cp1")));
        assertThat(renewed).isNotEqualTo(first);
        assertThat(token(RawExchange.send(port, js.replace("{extra}", "")))).as("the new token is the cached one now").isEqualTo(renewed);
    }

    private static String token(Reply reply) throws Exception {
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return JSON.readTree(reply.body()).get("access_token").asText();
    }

    private static String requestedResource(String request) {
        String query = request.substring(request.indexOf('?') + 1, request.indexOf(" HTTP/1.1"));
        for (String pair : query.split("&")) {
            if (pair.startsWith("resource=")) return URLDecoder.decode(pair.substring(9), StandardCharsets.UTF_8);
        }
        throw new AssertionError("no resource in " + query);
    }

    private static List<String> fieldNames(JsonNode body) {
        List<String> names = new ArrayList<>();
        body.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static long now() { return System.currentTimeMillis() / 1000; }
}
