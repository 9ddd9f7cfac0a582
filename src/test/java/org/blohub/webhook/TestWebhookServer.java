package org.blohub.webhook;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * An agency's web hook, as an agency would write it: a JDK HTTPS server that verifies each request's signature with
 * the shared secret (refusing a bad one with 401) and answers {@link #status} otherwise.
 */
public final class TestWebhookServer implements AutoCloseable {

    /** One request as received. */
    public record Received(String alertId, String timestamp, String signature, String contentType, byte[] body,
                           boolean signatureValid, Map<String, List<String>> headers) {
        public String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private final HttpsServer server;
    private final byte[] secret;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile int status = 200;

    public TestWebhookServer(TestTls tls, byte[] secret) throws Exception {
        this.secret = secret;
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/hook", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            var h = exchange.getRequestHeaders();
            String alertId = h.getFirst(WebhookSigner.ALERT_ID);
            String ts = h.getFirst(WebhookSigner.TIMESTAMP);
            String sig = h.getFirst(WebhookSigner.SIGNATURE);
            boolean valid = WebhookSigner.verify(this.secret, ts, alertId, body, sig)
                    && Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(ts)) < 300;
            received.add(new Received(alertId, ts, sig, h.getFirst("Content-Type"), body, valid, Map.copyOf(h)));
            int answer = valid ? status : 401;
            exchange.sendResponseHeaders(answer, -1);
            exchange.close();
        });
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public void answer(int status) {
        this.status = status;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public List<Received> received(String alertId) {
        return received.stream().filter(r -> alertId.equals(r.alertId())).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }

}
