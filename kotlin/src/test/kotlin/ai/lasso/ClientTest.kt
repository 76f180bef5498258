// The Kotlin front door itself: typed surface, NotGiven, cancellation, structured
// concurrency, Flow back-pressure, resource cleanup, secrets, transfers, webhooks.
package ai.lasso

import java.nio.file.Files
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds
import kotlin.time.TimeSource
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.put
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientTest {
    private lateinit var mock: Mock

    @BeforeAll
    fun start() {
        mock = Mock.start("--time-scale", "0")
    }

    @AfterAll
    fun stop() = mock.close()

    @BeforeEach
    fun reset() = mock.reset()

    private fun client(maxRetries: Int? = null) = LassoClient(apiKey = Mock.KEY, baseUrl = mock.baseUrl, maxRetries = maxRetries)

    /** A completed table of `rows` generated rows (lasso-mock's MOCK_ROWS hook). */
    private suspend fun bigTable(client: LassoClient, rows: Int): String {
        val table = client.tables.create(schemaId = "schema_sample", name = "big", sourceText = "MOCK_ROWS=$rows")
        return client.tables.waitForCompletion(table.id, interval = 20.milliseconds).id
    }

    @Test
    fun `operations take named arguments and return typed models`() = runBlocking {
        client().use { client ->
            assertEquals(1000.0, client.credits.balance().balance)
            val found = client.search(query = "stainless steel water bottle", maxResults = 3)
            assertTrue(found.results!!.size in 1..3)
            val table = client.tables.get("tbl_sample")
            assertEquals(TableStatus.COMPLETED, table.status)
            assertTrue(table.status!!.isKnown)
            val rows = client.tables.rows("tbl_sample", limit = 2)
            assertEquals(2, rows.data.size)
            assertEquals(3L, rows.pagination.total)
        }
    }

    @Test
    fun `unknown fields are kept and unknown enum values accepted`() {
        val json = JsonPrimitive(0).let {
            buildJsonObject {
                put("id", "tbl_1")
                put("name", "x")
                put("status", "queued_somewhere_new")
                put("brand_new_field", 42)
            }
        }
        val table = Table.fromJson(json)
        assertEquals("queued_somewhere_new", table.status!!.value)
        assertFalse(table.status!!.isKnown)
        assertEquals(TableStatus.of("completed"), TableStatus.COMPLETED)
        assertEquals(JsonPrimitive(42), table.extra["brand_new_field"])
        val e = assertThrows(DecodeFailure::class.java) { Table.fromJson(buildJsonObject { put("name", "no id") }) }
        assertTrue(e.message!!.contains("Table.id"), e.message)
    }

    @Test
    fun `an argument left out is not sent and null is sent as null`() {
        val args = Args()
            .put("table_id", "t")
            .opt("name", NotGiven.STRING)
            .opt("max_results", NotGiven.INT)
            .opt("web_search", NotGiven.BOOLEAN)
            .opt("file_ids", NotGiven.LIST)
            .opt("enhancement_context", null)
            .opt("flag", false)
            .opt("count", Int.MIN_VALUE)
            .toJson()
        assertEquals(setOf("table_id", "enhancement_context", "flag", "count"), args.keys)
        assertEquals(JsonNull, args["enhancement_context"])
        assertEquals(JsonPrimitive(false), args["flag"])
        // Against the server. The core then applies its rule, the same in every language:
        // null for a parameter the API takes null for (it clears the field) is sent as
        // JSON null, and so is null where the API takes any JSON (a bulk update's
        // `value`); null for any other optional argument is treated as not given.
        runBlocking {
            client().use { client ->
                assertEquals("ctx", client.tables.update("tbl_sample", enhancementContext = "ctx").enhancementContext)
                assertEquals("ctx", client.tables.update("tbl_sample", name = "Renamed").enhancementContext)
                assertNull(client.tables.update("tbl_sample", enhancementContext = null).enhancementContext)
                val row = client.tables.rows("tbl_sample", limit = 1).data.single()
                val key = row.data.keys.first()
                assertTrue(row.data[key] != JsonNull)
                client.tables.bulkUpdate("tbl_sample", rowIds = listOf(row.id), columnKey = key, value = null)
                assertEquals(JsonNull, client.tables.getRow("tbl_sample", row.id).data[key])
            }
        }
    }

    @Test
    fun `cancelling a coroutine drops the request in flight`() = runBlocking {
        mock.fault("""{"route": "GET /credits/balance", "status": 200, "delay_ms": 5000, "times": 1000}""")
        client().use { client ->
            val started = TimeSource.Monotonic.markNow()
            val job = launch { client.credits.balance() }
            delay(300)
            job.cancel()
            job.join()
            assertTrue(started.elapsedNow() < 2.seconds, "cancel took ${started.elapsedNow()}")
            assertEquals(1, mock.received("credits.balance"))
        }
    }

    @Test
    fun `cancelling waitForCompletion stops the wait and its polls`() = runBlocking {
        Mock.start().use { slow -> // time scale 1: extraction takes 1.2 s
            LassoClient(apiKey = Mock.KEY, baseUrl = slow.baseUrl).use { client ->
                val table = client.tables.create(schemaId = "schema_sample", name = "slow", sourceText = "a, 1")
                val progress = mutableListOf<Progress>()
                assertThrows(CancellationException::class.java) {
                    runBlocking {
                        withTimeout(400.milliseconds) {
                            client.tables.waitForCompletion(table.id, interval = 50.milliseconds, onProgress = { progress += it })
                        }
                    }
                }
                val polls = slow.received("tables.get")
                assertTrue(polls >= 2, "polled $polls times")
                delay(300)
                assertEquals(polls, slow.received("tables.get"), "no poll after the cancellation")
                assertTrue(progress.isNotEmpty())
                // Without cancellation it completes, reporting progress in this coroutine.
                val done = client.tables.waitForCompletion(table.id, interval = 50.milliseconds)
                assertEquals(TableStatus.COMPLETED, done.status)
            }
        }
    }

    @Test
    fun `64 concurrent calls, and a failure cancels its siblings`() = runBlocking {
        client().use { client ->
            val balances = coroutineScope { (1..64).map { async { client.credits.balance() } }.awaitAll() }
            assertEquals(64, balances.size)
            assertTrue(balances.all { it.balance == 1000.0 })
            assertEquals(64, mock.received("credits.balance"))
        }
        mock.reset()
        mock.fault("""{"route": "GET /credits/balance", "status": 200, "delay_ms": 5000, "times": 1000}""")
        client().use { client ->
            val started = TimeSource.Monotonic.markNow()
            assertThrows(NotFoundException::class.java) {
                runBlocking {
                    coroutineScope {
                        repeat(63) { launch { client.credits.balance() } }
                        launch {
                            delay(200)
                            client.tables.get("tbl_missing")
                        }
                    }
                }
            }
            assertTrue(started.elapsedNow() < 3.seconds, "siblings were not cancelled: ${started.elapsedNow()}")
        }
    }

    @Test
    fun `pagination is a Flow that fetches one page ahead and no more`() = runBlocking {
        client().use { client ->
            val table = bigTable(client, 1000)
            var before = mock.received("tables.rows")
            val rows = client.tables.iterRows(table, limit = 10).take(15).toList()
            assertEquals(15, rows.size)
            assertEquals((0L until 15L).toList(), rows.map { it.rowIndex })
            val fetched = mock.received("tables.rows") - before
            assertTrue(fetched in 2..3, "fetched $fetched pages for 15 rows of 10 a page")
            // A slow collector: the pager never runs more than one page ahead.
            before = mock.received("tables.rows")
            var seen = 0
            client.tables.iterRows(table, limit = 10).take(35).collect {
                seen++
                if (seen % 10 == 0) {
                    delay(100)
                    val pages = mock.received("tables.rows") - before
                    assertTrue(pages <= seen / 10 + 1, "$pages pages requested after $seen rows")
                }
            }
            // Every row, page after page.
            assertEquals(1000, client.tables.iterRows(table).toList().size)
        }
    }

    @Test
    fun `an extraBody value that JSON cannot carry is named by its key and class, and nothing is sent`() = runBlocking {
        client().use { client ->
            val before = mock.received("tables.create")
            val options = RequestOptions(extraBody = mapOf("future" to mapOf("when" to object {})))
            val e = assertThrows(ConfigurationException::class.java) {
                runBlocking { client.tables.create(schemaId = "schema_sample", name = "x", sourceText = "a", options = options) }
            }
            assertTrue(e.message.contains("extraBody.future.when"), e.message)
            assertTrue(e.message.contains("ClientTest"), e.message)
            assertFalse(e.message.contains("a null"), e.message)
            assertEquals(before, mock.received("tables.create"))
        }
    }

    @Test
    fun `close and use release the client`() = runBlocking {
        val client = client()
        client.use { assertFalse(it.isClosed) }
        assertTrue(client.isClosed)
        client.close() // twice is fine
        val e = assertThrows(ConfigurationException::class.java) { runBlocking { client.credits.balance() } }
        assertTrue(e.message.contains("closed"), e.message)
        // A Flow cancelled mid-list stops its pager.
        client().use { c ->
            val table = bigTable(c, 300)
            val before = mock.received("tables.rows")
            c.tables.iterRows(table, limit = 10).take(1).toList()
            delay(200)
            assertTrue(mock.received("tables.rows") - before <= 2)
        }
    }

    @Test
    fun `the key never appears in toString`() {
        client().use { client ->
            val shown = client.toString()
            assertFalse(shown.contains(Mock.KEY), shown)
            assertTrue(shown.contains("lasso_…cdef"), shown)
            assertEquals("lasso_…cdef", client.maskedKey)
        }
        val bad = "lasso_" + "z".repeat(64)
        val e = assertThrows(InvalidApiKeyException::class.java) { LassoClient(apiKey = bad) }
        assertFalse(e.toString().contains(bad), e.toString())
        assertFalse(LassoClient.builder().apiKey(Mock.KEY).toString().contains(Mock.KEY))
        // No key anywhere: LASSO_API_KEY is read (empty in the test environment).
        val missing = assertThrows(InvalidApiKeyException::class.java) { LassoClient() }
        assertTrue(missing.message.contains("LASSO_API_KEY"), missing.message)
    }

    @Test
    fun `upload from a path or bytes, export to a path atomically`() = runBlocking {
        val dir = Files.createTempDirectory("lasso-kotlin-")
        try {
            client().use { client ->
                val source = dir.resolve("bottles.txt")
                Files.writeString(source, "Trail bottle 750 ml, EUR 24.90\n")
                val fromPath = client.files.upload(source)
                assertEquals("bottles.txt", fromPath.filename)
                val fromBytes = client.files.upload("a,b\n1,2\n".toByteArray(), filename = "x.csv")
                assertEquals("x.csv", fromBytes.filename)
                val out = dir.resolve("sample.csv")
                val saved = client.export.csv("tbl_sample", path = out)
                assertEquals(Files.size(out), saved.size)
                assertTrue(Files.readString(out).lines().size >= 4)
                val inMemory = client.export.json("tbl_sample")
                assertTrue(String(inMemory.data).startsWith("["))
                // A failed export leaves an existing file as it was, and no temporary file.
                Files.writeString(out, "keep me")
                assertThrows(NotFoundException::class.java) { runBlocking { client.export.csv("tbl_missing", path = out) } }
                assertEquals("keep me", Files.readString(out))
                assertEquals(setOf("bottles.txt", "sample.csv"), Files.list(dir).use { s -> s.map { it.fileName.toString() }.toList().toSet() })
            }
        } finally {
            dir.toFile().deleteRecursively()
        }
    }

    @Test
    fun `webhooks are verified against the raw body`() {
        val body = """{"event":"product.updated","timestamp":"2026-01-01T00:00:00Z"}"""
        val signature = Webhooks.sign(body, "whsec_test")
        Webhooks.verify(body, signature, listOf("old_secret", "whsec_test"))
        val event = Webhooks.constructEvent(body, signature, listOf("whsec_test"))
        assertEquals(JsonPrimitive("product.updated"), event["event"])
        val e = assertThrows(WebhookVerificationException::class.java) { Webhooks.verify(body, signature, listOf("wrong")) }
        assertEquals(WebhookVerificationReason.NO_MATCHING_SIGNATURE, e.reason)
        assertFalse(e.message.contains("whsec_test"))
        val missing = assertThrows(WebhookVerificationException::class.java) { Webhooks.verify(body, null, listOf("whsec_test")) }
        assertEquals(WebhookVerificationReason.MISSING_HEADER, missing.reason)
    }

    @Test
    fun `typed errors carry the status, error type and request id`() = runBlocking {
        mock.fault("""{"route": "GET /credits/balance", "status": 429, "headers": {"Retry-After": "7"}}""")
        client(maxRetries = 0).use { client ->
            val e = assertThrows(RateLimitException::class.java) { runBlocking { client.credits.balance() } }
            assertEquals(429, e.statusCode)
            assertEquals(7.seconds, e.retryAfter)
            val nf = assertThrows(NotFoundException::class.java) { runBlocking { client.tables.get("tbl_missing") } }
            assertEquals("not_found", nf.errorType)
            assertNotNull(nf.requestId)
            assertTrue(nf is LassoException)
            val failed = assertThrows(JobFailedException::class.java) {
                runBlocking {
                    val t = client.tables.create(schemaId = "schema_sample", name = "bad", sourceText = "FAIL_EXTRACTION")
                    client.tables.waitForCompletion(t.id, interval = 20.milliseconds)
                }
            }
            assertNotNull(failed.table)
            assertNull(failed.enhancement)
            assertNull(failed.retryAfter)
        }
    }

    @Test
    fun `an enhancement whose every cell failed is a JobFailedException carrying its status, not a table`() = runBlocking {
        mock.fault(
            """{"route": "GET /tables/{table_id}/enhance/status", "status": 200,
               "body": "{\"columns\": {\"desc\": {\"total\": 2, \"completed\": 0, \"failed\": 2}}}"}"""
        )
        val e = assertThrows(JobFailedException::class.java) {
            runBlocking { client().use { it.enhance.waitForCompletion("tbl_1", interval = 10.milliseconds) } }
        }
        assertTrue(e.message.contains("every one of its 2 cells failed"), e.message)
        assertEquals("failed", e.status)
        assertNull(e.table)
        assertEquals(2L, e.enhancement?.columns?.get("desc")?.failed)
    }

    @Test
    fun `a panic in the core is a LassoException, not a crash`() = runBlocking {
        for (mode in listOf("sync", "async")) {
            val e = assertThrows(LassoException::class.java) { runBlocking { native { ai.lasso.ffi.testPanic(mode) } } }
            assertEquals("internal_sdk_error", e.kind)
            assertTrue(e.message.contains("test panic ($mode)"), e.message)
        }
    }

    @Test
    fun `a stale write carries when the resource last changed`() = runBlocking {
        mock.fault(
            """{"route": "GET /credits/balance", "status": 409, "body": {"code": "stale_write", "current_updated_at": "2026-01-02T03:04:05Z", "attribute_key": "color"}}"""
        )
        client(maxRetries = 0).use { client ->
            val e = assertThrows(ConflictException::class.java) { runBlocking { client.credits.balance() } }
            assertEquals("stale_write", e.code)
            assertEquals("2026-01-02T03:04:05Z", e.currentUpdatedAt)
            assertEquals("color", e.attributeKey)
            assertNull(e.attributeId)
            assertNotNull(e.rawPayload)
        }
    }
}
