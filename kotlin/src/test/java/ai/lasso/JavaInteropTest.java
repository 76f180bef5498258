// The SDK from Java: every operation has a CompletableFuture twin (`…Async`), with
// @JvmOverloads for the optional arguments; LassoClient.builder() takes java.time
// durations; exceptions arrive as the cause of an ExecutionException.
package ai.lasso;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JavaInteropTest {
    private static Mock mock;

    @BeforeAll
    static void start() {
        mock = Mock.start("--time-scale", "0");
    }

    @AfterAll
    static void stop() {
        mock.close();
    }

    private static LassoClient client() {
        return LassoClient.builder()
                .apiKey(Mock.KEY)
                .baseUrl(mock.getBaseUrl())
                .timeout(Duration.ofSeconds(30))
                .maxRetries(1)
                .build();
    }

    @Test
    void callsTheApiThroughFutures() throws Exception {
        try (LassoClient client = client()) {
            Balance balance = client.getCredits().balanceAsync().get();
            assertEquals(1000.0, balance.getBalance());

            Table table = client.getTables().getAsync("tbl_sample").get();
            assertEquals("tbl_sample", table.getId());
            assertEquals(TableStatus.COMPLETED, table.getStatus());

            // Optional arguments left out (NotGiven) through @JvmOverloads; per-call options.
            Page<Table> page = client.getTables().listAsync(1, 10, NotGiven.STRING, TableStatus.NOT_GIVEN,
                    RequestOptions.of(Duration.ofSeconds(5), 0)).get();
            assertEquals(1, page.getData().size());

            Table done = client.getTables().waitForCompletionAsync("tbl_sample").get();
            assertEquals(3L, done.getTotalRows());
        }
    }

    @Test
    void theBuilderTakesEveryClientOption() throws Exception {
        // Every option of the Kotlin constructor has a setter (the builder once had five),
        // and each reaches the client: the ones observable on loopback are checked.
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (LassoClient client = LassoClient.builder()
                .apiKey(Mock.KEY)
                .baseUrl(mock.getBaseUrl())
                .connectTimeout(Duration.ofSeconds(5))
                .headers(java.util.Map.of("x-from", "java"))
                .userAgentSuffix("java-app/1.0")
                .maxConnections(4)
                .maxResponseBytes(1L << 20)
                .noProxy(true)
                .logger((level, line) -> lines.add(level + " " + line))
                .logLevel(LogLevel.DEBUG)
                .build()) {
            client.getCredits().balanceAsync().get();
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("DEBUG ") && l.contains("/credits/balance")), lines.toString());
            kotlinx.serialization.json.JsonArray requests = mock.requests();
            kotlinx.serialization.json.JsonObject headers = (kotlinx.serialization.json.JsonObject)
                    ((kotlinx.serialization.json.JsonObject) requests.get(requests.size() - 1)).get("headers");
            assertEquals("\"java\"", headers.get("x-from").toString());
            assertTrue(headers.get("user-agent").toString().endsWith(" java-app/1.0\""), headers.toString());
        }
        // maxResponseBytes: a limit below the body's size refuses it.
        try (LassoClient small = LassoClient.builder().apiKey(Mock.KEY).baseUrl(mock.getBaseUrl()).maxResponseBytes(8L).build()) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> small.getCredits().balanceAsync().get());
            assertInstanceOf(ResponseTooLargeException.class, e.getCause());
        }
        // maxConnections: the core checks the value it was given.
        assertThrows(ConfigurationException.class,
                () -> LassoClient.builder().apiKey(Mock.KEY).baseUrl(mock.getBaseUrl()).maxConnections(0).build());
    }

    @Test
    void errorsAreTypedAndFuturesCompose() throws Exception {
        try (LassoClient client = client()) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> client.getTables().getAsync("tbl_missing").get());
            NotFoundException notFound = assertInstanceOf(NotFoundException.class, e.getCause());
            assertEquals(404, notFound.getStatusCode());
            assertTrue(notFound.getRequestId() != null);

            List<CompletableFuture<Balance>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 16; i++) calls.add(client.getCredits().balanceAsync());
            CompletableFuture.allOf(calls.toArray(new CompletableFuture[0])).get();
            for (CompletableFuture<Balance> call : calls) assertEquals(1000.0, call.get().getBalance());
        }
    }

    @Test
    void webhooksAndBadKeys() {
        String body = "{\"event\":\"webhook.test\"}";
        String signature = Webhooks.sign(body, "whsec_java");
        Webhooks.verify(body.getBytes(), signature, "whsec_java");
        assertThrows(WebhookVerificationException.class, () -> Webhooks.verify(body.getBytes(), signature, "nope"));
        assertThrows(InvalidApiKeyException.class, () -> LassoClient.builder().apiKey("lasso_short").build());
    }
}
