// Issue 16 in Kotlin, over HTTP against lasso-mock: withOptions, per-call headers /
// extraQuery / extraBody, the response behind a result (withResponse), the enhancement
// wait, the logger and LASSO_LOG, local file errors (and their java.nio cause), messages
// in Kotlin's option names, Duration.INFINITE, the enrich guard's opt-in.
package ai.lasso

import java.nio.file.AccessDeniedException
import java.nio.file.Files
import java.nio.file.NoSuchFileException
import java.nio.file.Path
import java.util.Collections
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.runBlocking
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.jsonPrimitive
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ParityTest {
    private lateinit var mock: Mock

    @BeforeAll
    fun start() {
        mock = Mock.start("--time-scale", "0")
    }

    @AfterAll
    fun stop() = mock.close()

    @BeforeEach
    fun reset() = mock.reset()

    private fun client(maxRetries: Int? = null, timeout: Duration? = null) =
        LassoClient(apiKey = Mock.KEY, baseUrl = mock.baseUrl, maxRetries = maxRetries, timeout = timeout)

    private fun last(): JsonObject = mock.requests().last() as JsonObject

    private fun query(request: JsonObject): String? = (request["query"] as? JsonPrimitive)?.takeIf { it.isString }?.content

    @Test
    fun `withOptions derives a client sharing the pool with defaults a call can still override`(): Unit = runBlocking {
        client(maxRetries = 0).use { client ->
            val traced = client.withOptions(RequestOptions(headers = mapOf("X-Trace" to "t1"), maxRetries = 2))
            traced.credits.balance()
            assertEquals("t1", (last()["headers"] as JsonObject)["x-trace"]!!.jsonPrimitive.content)
            // A call's own header replaces the default; the base client sends neither.
            traced.credits.balance(options = RequestOptions(headers = mapOf("X-Trace" to "t2")))
            assertEquals("t2", (last()["headers"] as JsonObject)["x-trace"]!!.jsonPrimitive.content)
            client.credits.balance()
            assertNull((last()["headers"] as JsonObject)["x-trace"])
            // The derived client retries (maxRetries = 2) where the base one does not.
            mock.fault("""{"route": "GET /credits/balance", "status": 503, "times": 1}""")
            assertEquals(1000.0, traced.credits.balance().balance)
            mock.fault("""{"route": "GET /credits/balance", "status": 503, "times": 1}""")
            assertThrows(ServiceUnavailableException::class.java) { runBlocking { client.credits.balance() } }
            // Closing either closes both.
            traced.close()
            assertTrue(client.isClosed)
            assertThrows(ConfigurationException::class.java) { runBlocking { client.credits.balance() } }
        }
    }

    @Test
    fun `per-call extraQuery and extraBody reach the server, options never the query`(): Unit = runBlocking {
        client().use { client ->
            client.tables.list(limit = 5, options = RequestOptions(maxRetries = 0, timeout = 30.seconds))
            assertEquals("limit=5", query(last()))
            client.tables.list(limit = 5, options = RequestOptions(extraQuery = mapOf("future_filter" to "x", "tag" to listOf("a", "b"))))
            assertEquals("limit=5&future_filter=x&tag=a&tag=b", query(last()))
            // The emulator refuses a body field it does not know: proof that it arrived.
            val e = assertThrows(UnprocessableEntityException::class.java) {
                runBlocking {
                    client.attributes.create(
                        key = "color",
                        label = "Colour",
                        type = AttributeType.of("text"),
                        options = RequestOptions(extraBody = mapOf("future_flag" to true)),
                    )
                }
            }
            assertTrue(e.message.contains("Unknown field: future_flag"), e.message)
        }
    }

    @Test
    fun `withResponse gives the status, headers and request id behind a result`(): Unit = runBlocking {
        client().use { client ->
            val raw = client.withResponse { tables.get("tbl_sample") }
            assertEquals("tbl_sample", raw.data.id)
            assertEquals(200, raw.status)
            assertTrue(raw.header("Content-Type")!!.startsWith("application/json"))
            assertNull(raw.requestId) // the API documents no request id header on success
            mock.fault(
                """{"route": "GET /credits/balance", "status": 200, "body": {"balance": 7, "currency": "credits"},
                   "headers": {"X-Request-Id": "req_0123"}}""",
            )
            val balance = client.withResponse { credits.balance() }
            assertEquals(7.0, balance.data.balance)
            assertEquals("req_0123", balance.requestId)
            assertEquals(listOf("req_0123"), balance.headers["x-request-id"])
            val created = client.withResponse { glossary.create(term = "Bottle", type = GlossaryTermType.of("do_not_translate")) }
            assertEquals(201, created.status)
            // Through a derived client too; a block without a plain call is a clear error.
            assertEquals(200, client.withOptions(RequestOptions(maxRetries = 0)).withResponse { tables.get("tbl_sample") }.status)
            val none = assertThrows(ConfigurationException::class.java) { runBlocking { client.withResponse { 42 } } }
            assertTrue(none.message.contains("made no API call"), none.message)
            // A failed call throws as usual, with its request id.
            val missing = assertThrows(NotFoundException::class.java) { runBlocking { client.withResponse { tables.get("tbl_missing") } } }
            assertTrue(missing.requestId!!.isNotEmpty())
        }
    }

    @Test
    fun `enhance waitForCompletion returns the status once every cell is done`(): Unit = runBlocking {
        client().use { client ->
            client.enhance.cells(
                "tbl_sample",
                rowIds = listOf("row_sample_1", "row_sample_2"),
                columnKey = "description",
                prompt = "Describe {{name}}",
                webSearch = false,
            )
            val seen = Collections.synchronizedList(mutableListOf<Progress>())
            val status = client.enhance.waitForCompletion(
                "tbl_sample",
                columnKey = "description",
                interval = 20.milliseconds,
                onProgress = { p -> seen += p },
            )
            val column = status.columns!!["description"]!!
            assertEquals(column.total, (column.completed ?: 0) + (column.failed ?: 0))
            assertEquals(Progress(TableStatus.COMPLETED, 100.0), seen.last())
            assertThrows(NotFoundException::class.java) {
                runBlocking { client.enhance.waitForCompletion("tbl_missing", interval = 20.milliseconds) }
            }
        }
    }

    @Test
    fun `the logger hears one line per attempt, never the key`(): Unit = runBlocking {
        val lines = Collections.synchronizedList(mutableListOf<Pair<LogLevel, String>>())
        LassoClient(
            apiKey = Mock.KEY,
            baseUrl = mock.baseUrl,
            logger = { level, line -> lines += level to line },
            logLevel = LogLevel.DEBUG,
        ).use { client ->
            client.credits.balance()
            mock.fault("""{"route": "GET /tables/tbl_sample", "status": 503, "times": 1}""")
            client.tables.get("tbl_sample")
        }
        val text = lines.joinToString("\n") { "${it.first} ${it.second}" }
        assertTrue(lines.any { it.first == LogLevel.DEBUG && it.second.contains("/credits/balance") && it.second.contains("200") }, text)
        assertTrue(lines.any { it.first == LogLevel.INFO && it.second.contains("/tables/tbl_sample") }, text)
        assertFalse(text.contains(Mock.KEY), text)
        // WARN (the default level) hears no line of calls that worked.
        val quiet = Collections.synchronizedList(mutableListOf<String>())
        LassoClient(apiKey = Mock.KEY, baseUrl = mock.baseUrl, logger = { _, line -> quiet += line }).use { it.credits.balance() }
        assertEquals(emptyList<String>(), quiet.toList())
    }

    @Test
    fun `LASSO_LOG sends the lines to stderr`() {
        val java = Path.of(System.getProperty("java.home"), "bin", "java").toString()
        val classpath = System.getProperty("java.class.path")
        val process = ProcessBuilder(java, "-cp", classpath, "ai.lasso.LogMain", mock.baseUrl)
            .apply { environment()["LASSO_LOG"] = "debug" }
            .apply { environment()["LASSO_API_KEY"] = Mock.KEY }
            .start()
        val stderr = process.errorStream.bufferedReader().readText()
        assertEquals(0, process.waitFor(), stderr)
        assertTrue(Regex("lasso debug: .*GET .*/credits/balance.*200").containsMatchIn(stderr), stderr)
        assertFalse(stderr.contains(Mock.KEY), stderr)
    }

    @Test
    fun `local file errors are LocalFile exceptions with a java nio cause, never naming the temporary file`(): Unit = runBlocking {
        client().use { client ->
            val dir = Files.createTempDirectory("lasso-kotlin-files")
            try {
                val missing = dir.resolve("missing.pdf")
                val e = assertThrows(LocalFileNotFoundException::class.java) { runBlocking { client.files.upload(missing) } }
                assertEquals(missing.toString(), e.path)
                assertEquals("ENOENT", e.osCode)
                assertTrue(e is LocalFileException && e is LassoException)
                assertTrue(e.cause is NoSuchFileException, e.cause.toString())
                assertEquals(missing.toString(), (e.cause as NoSuchFileException).file)
                val target = dir.resolve("no-such-dir").resolve("rows.csv")
                val x = assertThrows(LocalFileNotFoundException::class.java) { runBlocking { client.export.csv("tbl_sample", path = target) } }
                assertEquals(target.toString(), x.path)
                assertFalse(x.message.contains(".part"), x.message)
                val denied = assertThrows(LocalFilePermissionException::class.java) {
                    runBlocking { client.export.csv("tbl_sample", path = Path.of("/sys/lasso-rows.csv")) }
                }
                assertEquals("EACCES", denied.osCode)
                assertTrue(denied.cause is AccessDeniedException)
                val dirUpload = assertThrows(LocalFileException::class.java) { runBlocking { client.files.upload(dir) } }
                assertEquals("EISDIR", dirUpload.osCode)
                assertTrue(dirUpload.cause is java.nio.file.FileSystemException)
            } finally {
                dir.toFile().deleteRecursively()
            }
        }
    }

    @Test
    fun `messages name options as Kotlin spells them, and values are checked`(): Unit = runBlocking {
        val url = assertThrows(ConfigurationException::class.java) {
            LassoClient(apiKey = Mock.KEY, baseUrl = "http://example.com/api/v1")
        }
        assertTrue(url.message.startsWith("baseUrl ") && !url.message.contains("base_url"), url.message)
        val agent = assertThrows(ConfigurationException::class.java) {
            LassoClient(apiKey = Mock.KEY, baseUrl = mock.baseUrl, userAgentSuffix = "é")
        }
        assertTrue(agent.message.contains("userAgentSuffix"), agent.message)
        val retries = assertThrows(ConfigurationException::class.java) { LassoClient(apiKey = Mock.KEY, baseUrl = mock.baseUrl, maxRetries = -1) }
        assertTrue(retries.message.startsWith("maxRetries must be a whole number from 0"), retries.message)
        val connections = assertThrows(ConfigurationException::class.java) {
            LassoClient(apiKey = Mock.KEY, baseUrl = mock.baseUrl, maxConnections = 0)
        }
        assertTrue(connections.message.startsWith("maxConnections must be a whole number of at least 1, got 0"), connections.message)
        client().use { client ->
            val perCall = assertThrows(ConfigurationException::class.java) {
                runBlocking { client.credits.balance(options = RequestOptions(maxRetries = -1)) }
            }
            assertTrue(perCall.message.contains("maxRetries"), perCall.message)
            val headers = assertThrows(ConfigurationException::class.java) {
                runBlocking { client.credits.balance(options = RequestOptions(headers = mapOf("Authorization" to "Bearer x"))) }
            }
            assertTrue(headers.message.contains("Authorization"), headers.message)
        }
    }

    @Test
    fun `Duration INFINITE disables a timeout`(): Unit = runBlocking {
        LassoClient(apiKey = Mock.KEY, baseUrl = mock.baseUrl, timeout = Duration.INFINITE, connectTimeout = Duration.INFINITE).use { patient ->
            mock.fault("""{"route": "GET /credits/balance", "kind": "slow_headers", "delay_ms": 300, "execute": true}""")
            assertEquals(1000.0, patient.credits.balance().balance)
        }
        client(maxRetries = 0, timeout = 50.milliseconds).use { short ->
            mock.fault("""{"route": "GET /credits/balance", "kind": "slow_headers", "delay_ms": 300, "execute": true}""")
            assertEquals(1000.0, short.credits.balance(options = RequestOptions(timeout = Duration.INFINITE)).balance)
            mock.fault("""{"route": "GET /credits/balance", "kind": "slow_headers", "delay_ms": 300, "execute": true}""")
            assertThrows(APITimeoutException::class.java) { runBlocking { short.credits.balance() } }
            val table = short.withOptions(RequestOptions(timeout = Duration.INFINITE))
                .tables.waitForCompletion("tbl_sample", interval = 10.milliseconds, timeout = Duration.INFINITE)
            assertEquals("tbl_sample", table.id)
        }
    }

    @Test
    fun `an enrich of six records without a webhook is refused unless allowed`(): Unit = runBlocking {
        val six = (1..6).map { mapOf("data" to mapOf("name" to "item $it")) }
        client().use { client ->
            val before = mock.requests().size
            val refused = assertThrows(ConfigurationException::class.java) { runBlocking { client.enrich(items = six) } }
            assertTrue(refused.message.contains("webhook_url") && refused.message.contains("allowEnrichWithoutWebhook"), refused.message)
            assertEquals(before, mock.requests().size)
            val sent = client.withResponse { enrich(items = six, options = RequestOptions(allowEnrichWithoutWebhook = true)) }
            assertEquals(202, sent.status)
            assertEquals(before + 1, mock.requests().size)
            client.withOptions(RequestOptions(allowEnrichWithoutWebhook = true)).enrich(items = six)
            assertEquals(before + 2, mock.requests().size)
        }
    }
}

/** The program `LASSO_LOG sends the lines to stderr` runs: one call, with the environment's settings. */
object LogMain {
    @JvmStatic
    fun main(args: Array<String>): Unit = runBlocking {
        LassoClient(baseUrl = args[0]).use { it.credits.balance() }
    }
}
