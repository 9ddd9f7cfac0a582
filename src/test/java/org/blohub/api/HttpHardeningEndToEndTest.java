package org.blohub.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.blohub.alert.AlertJson;
import org.blohub.broker.Credentials;
import org.blohub.hub.HubTestSupport;
import org.blohub.normalize.Normalizer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.CookieManager;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a careless or hostile HTTP client gets, against the whole hub over real sockets (HubTestSupport's context,
 * shared): failed logins throttled per user and per client address (basic and form), a charset the hub cannot decode
 * answered 415, a body above {@code blo.ingest.max-document-bytes} (1 MiB here) answered 413 before it is read, and
 * a TLP:RED receipt naming the addressee held back. Each lock here is on a user or a loopback address (127.0.0.2)
 * no other test logs in as over HTTP, so the shared hub stays usable for them.
 */
class HttpHardeningEndToEndTest extends HubTestSupport {

    static final long LIMIT = 1_048_576;
    static final Pattern TOKEN = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

    final HttpClient http = HttpClient.newHttpClient();

    // --- login throttling -------------------------------------------------------------------------------------------

    @Test
    void fiveWrongPasswordsLockTheUserForBasicAuthEvenWithTheRightOneAndNoOneElse() throws Exception {
        String user = "TH-ARANYAPRATHET";
        for (int i = 1; i <= 5; i++) {
            assertThat(get("/api/audit", user, "wrong-" + i).statusCode()).as("wrong password " + i).isEqualTo(401);
        }
        HttpResponse<String> locked = get("/api/audit", user, password(user));
        assertThat(locked.statusCode()).as("the right password during the lock").isEqualTo(429);
        long retryAfter = Long.parseLong(locked.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 15L * 60);
        assertThat(locked.body()).contains("too many failed attempts, try again in 15 minutes");
        assertThat(get("/api/alerts/x", user, password(user)).statusCode()).as("still locked").isEqualTo(429);

        // another user from another address: a viewer reads the audit, which names the locked user and its address
        RawResponse viewer = raw("127.0.0.3", "GET /api/audit?action=LOGIN_THROTTLED HTTP/1.1\r\n"
                + "Authorization: " + basic(Credentials.VIEWER, password(Credentials.VIEWER)) + "\r\n", new byte[0]);
        assertThat(viewer.status()).isEqualTo(200);
        JsonNode rows = AlertJson.mapper().readTree(viewer.body()).get("items");
        assertThat(rows).anySatisfy(r -> {
            assertThat(r.get("operator").asText()).isEqualTo(user);
            assertThat(r.get("action").asText()).isEqualTo("LOGIN_THROTTLED");
            assertThat(r.get("outcome").asText()).isEqualTo("REFUSED");
            assertThat(r.get("detail").asText()).startsWith("user " + user + ": 5 failed logins within PT15M")
                    .contains("the last from 127.0.0.1");
        });

        // blo_login_throttled_total to a scraper (export is off in Spring Boot's tests: the same meter by /metrics)
        HttpResponse<String> metric = get("/actuator/metrics/blo.login.throttled", Credentials.OPERATOR,
                password(Credentials.OPERATOR));
        assertThat(metric.statusCode()).isEqualTo(200);
        assertThat(AlertJson.mapper().readTree(metric.body()).get("measurements").get(0).get("value").asDouble())
                .as("logins refused by the throttle").isGreaterThanOrEqualTo(2);
    }

    @Test
    void tooManyFailuresFromOneAddressLockItForEveryUserButNotOtherAddresses() throws Exception {
        // the last name tried would forge a log line and colour a terminal, were it not escaped
        String forging = "evil\u001b[31m\r\nWARN forged-" + UUID.randomUUID();
        for (int i = 1; i <= 20; i++) {
            String name = i == 20 ? forging : "guess-" + UUID.randomUUID();
            RawResponse r = raw("127.0.0.2", "GET /api/audit HTTP/1.1\r\nAuthorization: "
                    + basic(name, "guess") + "\r\n", new byte[0]);
            assertThat(r.status()).as("guess " + i).isEqualTo(401);
        }
        RawResponse lockedAddress = raw("127.0.0.2", "GET /api/audit HTTP/1.1\r\nAuthorization: "
                + basic(Credentials.VIEWER, password(Credentials.VIEWER)) + "\r\n", new byte[0]);
        assertThat(lockedAddress.status()).as("a valid viewer from the locked address").isEqualTo(429);
        assertThat(lockedAddress.head()).containsIgnoringCase("Retry-After:");
        assertThat(get("/api/audit", Credentials.VIEWER, password(Credentials.VIEWER)).statusCode())
                .as("the same viewer from another address").isEqualTo(200);

        JsonNode rows = AlertJson.mapper().readTree(get("/api/audit?action=LOGIN_THROTTLED",
                Credentials.OPERATOR, password(Credentials.OPERATOR)).body()).get("items");
        String escaped = forging.replace("\u001b", "\\u001b").replace("\r", "\\u000d").replace("\n", "\\u000a");
        assertThat(rows).anySatisfy(r -> {
            assertThat(r.get("operator").asText()).isEqualTo(escaped);
            assertThat(r.get("detail").asText()).startsWith("address 127.0.0.2: 20 failed logins within PT15M")
                    .contains("the last as user " + escaped).doesNotContain("\u001b").doesNotContain("\n");
        });
    }

    @Test
    void theFormLoginIsThrottledTooAndTheConsoleAuditShowsIt() throws Exception {
        String user = "MM-CUSTOMS";
        Browser b = new Browser();
        for (int i = 1; i <= 5; i++) {
            HttpResponse<String> r = b.login(user, "wrong-" + i);
            assertThat(r.headers().firstValue("Location").orElseThrow()).as("wrong password " + i).endsWith("/login?error");
        }
        assertThat(b.get("/login?error").body()).doesNotContain("too many failed attempts");

        b.login(user, password(user));
        assertThat(b.get("/login?error").body()).contains("too many failed attempts, try again in 15 minutes");
        assertThat(b.get("/console").statusCode()).as("not logged in: sent to the login page").isEqualTo(302);

        Browser operator = new Browser();
        assertThat(operator.login(Credentials.OPERATOR, password(Credentials.OPERATOR)).headers()
                .firstValue("Location").orElseThrow()).endsWith("/console");
        HttpResponse<String> audit = operator.get("/console/audit");
        assertThat(audit.statusCode()).isEqualTo(200);
        assertThat(audit.body()).contains("LOGIN_THROTTLED").contains(user).contains("5 failed logins");
    }

    // --- charset and size -------------------------------------------------------------------------------------------

    @Test
    void anUnknownCharsetIs415WithTheReasonAndNothingIsAcceptedOrDelivered() throws Exception {
        String ref = uniqueRef("EVIL");
        HttpResponse<String> r = post("VN-LAOCAI", utf8(amber(ref)), "application/json; charset=x-evil");
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(AlertJson.mapper().readTree(r.body()).get("errors").get(0).asText())
                .contains("charset \"x-evil\"").contains("nothing was accepted");
        String alertId = Normalizer.alertId("VN-LAOCAI", ref);
        assertThat(get("/api/alerts/" + alertId, Credentials.OPERATOR, password(Credentials.OPERATOR)).statusCode())
                .as("not in the ledger").isEqualTo(404);
        assertThat(count("agency.VN-DRUG", "bloAlertId = '" + alertId + "'")).isZero();
        assertThat(count("agency.VN-FOCAL", "bloAlertId = '" + alertId + "'")).isZero();

        HttpResponse<String> again = post("VN-LAOCAI", utf8(amber(ref)), "application/json; charset=utf-8");
        assertThat(again.statusCode()).as("the same alert with a charset the hub reads").isEqualTo(202);
        assertThat(AlertJson.mapper().readTree(again.body()).get("status").asText()).isEqualTo("ACCEPTED");
    }

    @Test
    void aContentLengthOverTheLimitIs413BeforeTheBodyIsSent() throws Exception {
        long declared = 50L * 1024 * 1024;
        // the headers and 16 bytes of the 50 MiB announced: the answer comes although the rest is never sent
        RawResponse r = raw("127.0.0.1", "POST /api/alerts HTTP/1.1\r\nAuthorization: "
                + basic("VN-LAOCAI", password("VN-LAOCAI")) + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + declared + "\r\n", utf8("{\"sourceRef\":\"x"));
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.body()).contains(declared + " bytes (Content-Length)").contains("limit of " + LIMIT)
                .contains("nothing was read");
    }

    @Test
    void aChunkedBodyOverTheLimitIs413AfterTheLimit() throws Exception {
        byte[] big = new byte[(int) LIMIT + 8 * 1024];
        Arrays.fill(big, (byte) ' ');
        big[0] = '[';
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/alerts"))
                .header("Authorization", basic("VN-LAOCAI", password("VN-LAOCAI")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains("larger than the limit of " + LIMIT + " bytes");
    }

    // --- TLP:RED receipts -------------------------------------------------------------------------------------------

    @Test
    void aRedReceiptListsTheAddresseeHeldBackByHttpAndByJms() throws Exception {
        String httpRef = uniqueRef("RED-H");
        HttpResponse<String> r = post("VN-LAOCAI", utf8(red(httpRef)), "application/json");
        assertThat(r.statusCode()).isEqualTo(202);
        assertRedReceipt(AlertJson.mapper().readTree(r.body()), httpRef);

        String jmsRef = uniqueRef("RED-J");
        String sent = sendText("VN-LAOCAI", red(jmsRef));
        assertRedReceipt(receipt("VN-LAOCAI", sent), jmsRef);
    }

    private void assertRedReceipt(JsonNode receipt, String ref) throws Exception {
        String alertId = Normalizer.alertId("VN-LAOCAI", ref);
        assertThat(receipt.get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(receipt.get("routedTo")).extracting(JsonNode::asText).containsExactly("VN-DRUG");
        // the addressee not cleared for RED, and the agencies the default routing would add but the addressees exclude
        assertThat(receipt.get("withheld")).extracting(w -> w.get("agency").asText() + ": " + w.get("reason").asText())
                .contains("VN-CUSTOMS: not cleared for TLP:RED (receives up to TLP:AMBER)",
                        "VN-FOCAL: restricted to the alert's addressees")
                .noneMatch(w -> w.startsWith("VN-DRUG"));
        assertThat(agencyMessages("VN-DRUG", alertId)).hasSize(1);
        assertThat(count("agency.VN-CUSTOMS", "bloAlertId = '" + alertId + "'")).as("VN-CUSTOMS gets nothing").isZero();
    }

    static String red(String ref) {
        return """
                {"sourceRef":"%s","sentAt":"2026-11-23T09:15:00","status":"Actual","msgType":"Alert",
                 "category":["DRUG_TRAFFICKING"],"urgency":"Immediate","severity":"Severe","certainty":"Observed",
                 "language":"en","headline":"red receipt test",
                 "areas":[{"areaDesc":"border crossing","country":"VN"}],"tlp":"TLP:RED",
                 "addressees":["VN-DRUG","VN-CUSTOMS"]}
                """.formatted(ref);
    }

    static String amber(String ref) {
        return red(ref).replace("TLP:RED", "TLP:AMBER");
    }

    // --- clients ----------------------------------------------------------------------------------------------------

    String base() {
        return "http://127.0.0.1:" + httpPort;
    }

    HttpResponse<String> get(String path, String user, String password) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path))
                .header("Authorization", basic(user, password)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String office, byte[] body, String contentType) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + "/api/alerts"))
                .header("Authorization", basic(office, password(office))).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    record RawResponse(int status, String head, String body) {
    }

    /**
     * One HTTP/1.1 exchange over a plain socket bound to {@code localAddress} (any 127.x address is loopback): the
     * request line and headers as given, Host and Connection: close added, then {@code bodyStart}, and nothing more.
     * Reads the answer until the hub closes the connection.
     */
    RawResponse raw(String localAddress, String requestHead, byte[] bodyStart) throws Exception {
        try (Socket s = new Socket(InetAddress.getByName("127.0.0.1"), httpPort,
                InetAddress.getByName(localAddress), 0)) {
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            out.write((requestHead + "Host: 127.0.0.1:" + httpPort + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(bodyStart);
            out.flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            try {
                // up to the end of the answer, not of the connection: a refused body's sender may keep it open
                for (int n; !complete(answer.toString(StandardCharsets.ISO_8859_1)) && (n = in.read(buf)) >= 0; ) {
                    answer.write(buf, 0, n);
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no end of the answer within 60 s; got: " + answer, e);
            }
            String text = answer.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            assertThat(end).as("an HTTP answer: " + text).isPositive();
            String head = text.substring(0, end);
            String body = text.substring(end + 4);
            if (head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
                body = dechunk(body);
            }
            return new RawResponse(Integer.parseInt(head.split(" ")[1]), head, body);
        }
    }

    /** Whether {@code text} holds a whole HTTP answer: its head and all of its body. */
    static boolean complete(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        String head = text.substring(0, end).toLowerCase(java.util.Locale.ROOT);
        String body = text.substring(end + 4);
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("\r\ncontent-length: *(\\d+)").matcher(head);
        if (length.find()) {
            return body.length() >= Integer.parseInt(length.group(1));
        }
        return head.contains("transfer-encoding: chunked") && body.endsWith("0\r\n\r\n");
    }

    /** The body of a chunked answer (all of it read): each chunk's size line dropped. */
    static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int eol = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, eol).split(";")[0].trim(), 16);
            if (size == 0) {
                return out.toString();
            }
            out.append(chunked, eol + 2, eol + 2 + size);
            at = eol + 2 + size + 2;
        }
    }

    /** The console as a browser holds it: a cookie jar, the login form with its CSRF token, no redirects followed. */
    final class Browser {

        final HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

        HttpResponse<String> login(String user, String password) throws Exception {
            Matcher m = TOKEN.matcher(get("/login").body());
            assertThat(m.find()).as("a CSRF token on the login page").isTrue();
            String form = "username=" + enc(user) + "&password=" + enc(password) + "&_csrf=" + enc(m.group(1));
            return client.send(HttpRequest.newBuilder(URI.create(base() + "/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> get(String path) throws Exception {
            return client.send(HttpRequest.newBuilder(URI.create(base() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        private static String enc(String s) {
            return URLEncoder.encode(s, StandardCharsets.UTF_8);
        }
    }
}
