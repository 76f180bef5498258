// Quick start: the SDK's main job end to end.
// Reads LASSO_API_KEY (and LASSO_BASE_URL, e.g. a lasso-mock URL); `./just demo` runs it.
package ai.lasso.examples

import ai.lasso.AuthenticationException
import ai.lasso.EnrichThinking
import ai.lasso.InvalidApiKeyException
import ai.lasso.LassoClient
import ai.lasso.NotFoundException
import ai.lasso.Row
import java.nio.file.Files
import java.nio.file.Path
import kotlin.time.Duration.Companion.milliseconds
import kotlinx.coroutines.runBlocking
import kotlinx.serialization.json.jsonPrimitive

fun main(): Unit = runBlocking {
    val client = LassoClient() // or LassoClient(apiKey = System.getenv("LASSO_API_KEY"))
    println("client: $client")
    val tmp = Files.createTempDirectory("lasso-quickstart-")
    client.use {
        // 1. Search products (5 credits) and enrich a partial record.
        val found = client.search(query = "stainless steel water bottle under $40", maxResults = 3)
        for (result in found.results.orEmpty()) println("search: ${result.data?.get("name")?.jsonPrimitive?.content} (${result.confidence})")
        val enriched = client.enrich(items = listOf(mapOf("data" to mapOf("name" to "Hydro Flask 32 oz"))), thinking = EnrichThinking.LOW)
        println("enrich: filled " + enriched.items.orEmpty().first().data.orEmpty().keys.sorted().joinToString(", "))

        // 2. A schema, and a file to extract from.
        val schema = client.schemas.create(
            name = "Quick start bottles",
            columns = listOf(
                mapOf("key" to "name", "label" to "Name", "type" to "text", "required" to true),
                mapOf("key" to "price", "label" to "Price", "type" to "number"),
                mapOf("key" to "description", "label" to "Description", "type" to "richtext"),
            ),
        )
        val source = tmp.resolve("bottles.txt")
        Files.writeString(source, "Trail bottle 750 ml, EUR 24.90\nSummit flask 1 l, EUR 34.50\nCity cup 350 ml, EUR 14.00\n")
        val upload = client.files.upload(source)
        println("uploaded ${upload.filename} (${upload.size} bytes)")

        // 3. Extract a table from it and wait, hearing each change of progress.
        val tableId = client.tables.create(schemaId = schema.id, name = "Bottles", fileIds = listOf(upload.id)).id
        val table = client.tables.waitForCompletion(tableId, interval = 200.milliseconds, onProgress = { p -> println(p) })
        println("table ${table.id}: ${table.status}, ${table.totalRows} rows")

        // 4. Every row, page after page, as a Flow (the next page downloads while you read this one).
        val rows = mutableListOf<Row>()
        client.tables.iterRows(tableId).collect { row -> rows += row }
        for (row in rows) println("row ${row.rowIndex}: ${row.data["name"]?.jsonPrimitive?.content}, ${row.data["price"]}")

        // 5. Enhance a column with AI, then export CSV to a file.
        val job = client.enhance.cells(
            tableId,
            rowIds = rows.map { it.id },
            columnKey = "description",
            prompt = "One sentence about {{name}}.",
        )
        println("enhance: ${job.rowsQueued} rows queued, ~${job.estimatedCredits} credits")
        val saved = client.export.csv(tableId, path = Path.of(tmp.toString(), "bottles.csv"))
        println("exported ${Files.size(saved.path)} bytes of CSV")

        // 6. Errors are typed: catch the class, quote the request id to support.
        try {
            client.tables.get("tbl_does_not_exist")
        } catch (e: NotFoundException) {
            println("not found, as expected (request_id ${e.requestId})")
        }
        println("balance: ${client.credits.balance().balance}")
    }
    tmp.toFile().deleteRecursively()

    // A malformed key is refused before any request is sent.
    try {
        LassoClient(apiKey = "lasso_not-a-real-key")
    } catch (e: InvalidApiKeyException) {
        println("bad key -> ${e::class.simpleName}: ${e.message}")
    }

    // A well-formed key the server does not know: a typed error with the request id.
    try {
        LassoClient(apiKey = "lasso_" + "0".repeat(64)).use { it.credits.balance() }
    } catch (e: AuthenticationException) {
        println("unknown key -> ${e::class.simpleName} ${e.statusCode} ${e.errorType} (request_id ${e.requestId})")
    }
}
