package ai.lasso

import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject

/**
 * One lasso-mock per test class: `val mock = Mock.start()`, then `mock.close()`.
 * The binary is `$LASSO_MOCK_BIN`, else the workspace's debug build
 * (`CARGO_BUILD_TARGET=x86_64-unknown-linux-gnu cargo build -p lasso-mock`).
 */
class Mock private constructor(private val process: Process, val baseUrl: String) : AutoCloseable {
    val root: String = URI(baseUrl).let { "${it.scheme}://${it.authority}" }
    private val http = HttpClient.newHttpClient()

    private fun control(method: String, path: String, body: JsonElement? = null): JsonElement {
        val request = HttpRequest.newBuilder(URI("$root/__mock/$path"))
            .method(method, body?.let { HttpRequest.BodyPublishers.ofString(it.toString()) } ?: HttpRequest.BodyPublishers.noBody())
            .header("content-type", "application/json")
            .build()
        val response = http.send(request, HttpResponse.BodyHandlers.ofString())
        check(response.statusCode() in 200..299) { "$method /__mock/$path answered ${response.statusCode()}: ${response.body()}" }
        return Json.parseToJsonElement(response.body().ifEmpty { "null" })
    }

    fun stats(): JsonObject = control("GET", "stats").jsonObject

    /** The requests that reached the API since the last reset (key masked). */
    fun requests(): JsonArray = control("GET", "requests").jsonObject["requests"]!!.jsonArray

    fun fault(fault: JsonElement) {
        control("POST", "faults", fault)
    }

    fun fault(json: String) = fault(Json.parseToJsonElement(json))

    fun reset() {
        control("POST", "reset")
    }

    /** How many requests of this operation the mock received since the last reset. */
    fun received(operation: String): Int =
        (stats()["received"] as? JsonObject)?.get(operation)?.toString()?.toIntOrNull() ?: 0

    override fun close() {
        process.destroy()
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly()
    }

    companion object {
        @JvmField val REPO: Path = Path.of(System.getProperty("lasso.repo") ?: "..").toAbsolutePath().normalize()

        @JvmField
        val BIN: Path = System.getenv("LASSO_MOCK_BIN")?.takeIf { it.isNotEmpty() }?.let { Path.of(it) }
            ?: REPO.resolve("target/x86_64-unknown-linux-gnu/debug/lasso-mock")

        /** A well-formed key the mock accepts. */
        @JvmField val KEY: String = "lasso_" + "0123456789abcdef".repeat(4)

        /** The key the mock rejects with 401 (revoked). */
        @JvmField val REVOKED_KEY: String = "lasso_" + "0".repeat(64)

        @JvmStatic
        fun start(vararg args: String): Mock {
            check(Files.isExecutable(BIN)) {
                "lasso-mock not found at $BIN: build it with `cargo build -p lasso-mock` or set LASSO_MOCK_BIN"
            }
            val process = ProcessBuilder(listOf(BIN.toString(), "--port", "0") + args)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start()
            val line = process.inputStream.bufferedReader().readLine()
                ?: error("lasso-mock exited before announcing its URL")
            val url = Regex("^listening on (http://\\S+)\\s*$").find(line)?.groupValues?.get(1)
                ?: error("unexpected first line from lasso-mock: $line")
            // Keep draining whatever else it prints.
            Thread { process.inputStream.transferTo(java.io.OutputStream.nullOutputStream()) }
                .apply { isDaemon = true }
                .start()
            return Mock(process, url)
        }
    }
}
