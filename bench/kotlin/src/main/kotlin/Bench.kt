// Kotlin side of the benchmarks (run by bench/run.py, `just bench`). Prints one
// JSON object on stdout.
//
//   java -cp … BenchKt latency    --impl ours|jdk [--n 2000] [--warmup 200]
//   java -cp … BenchKt throughput --impl ours|jdk --concurrency C [--seconds 3] [--warmup 0.5]
//   java -cp … BenchKt paginate   --table ID
//
// `ours` is ai.lasso:lasso-sdk (release native library); `jdk` is the JDK's own
// java.net.http.HttpClient (HTTP/1.1, as the emulator speaks) with the body decoded by
// kotlinx.serialization's JSON parser, hand-written. LASSO_BASE_URL and LASSO_API_KEY
// point at the lasso-mock the harness started on 127.0.0.1.
import ai.lasso.LassoClient
import java.lang.management.ManagementFactory
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.file.Files
import java.nio.file.Path
import kotlin.time.Duration.Companion.minutes
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.future.await
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.jsonObject

private val BASE_URL = System.getenv("LASSO_BASE_URL").trimEnd('/')
private val API_KEY = System.getenv("LASSO_API_KEY")

private fun rssNow(): Long =
    Files.readAllLines(Path.of("/proc/self/status")).first { it.startsWith("VmRSS:") }.split(Regex("\\s+"))[1].toLong() * 1024

private fun rssPeak(): Long =
    Files.readAllLines(Path.of("/proc/self/status")).first { it.startsWith("VmHWM:") }.split(Regex("\\s+"))[1].toLong() * 1024

/** One call of GET /credits/balance, JSON decoded. */
private fun caller(impl: String): suspend () -> Any =
    when (impl) {
        "ours" -> {
            val client = LassoClient(apiKey = API_KEY, baseUrl = BASE_URL)
            suspend { client.credits.balance() }
        }
        "jdk" -> {
            val http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
            val request = HttpRequest.newBuilder(URI("$BASE_URL/credits/balance"))
                .header("Authorization", "Bearer $API_KEY")
                .header("Accept", "application/json")
                .build()
            suspend {
                val response = http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).await()
                check(response.statusCode() == 200) { "HTTP ${response.statusCode()}: ${response.body()}" }
                Json.parseToJsonElement(response.body()).jsonObject
            }
        }
        else -> error("unknown implementation $impl")
    }

private fun latency(args: Map<String, String>): Map<String, Any> = runBlocking {
    val call = caller(args.getValue("impl"))
    val n = args["n"]?.toInt() ?: 2000
    val warmup = args["warmup"]?.toInt() ?: 200
    repeat(warmup) { call() }
    val micros = DoubleArray(n)
    val start = System.nanoTime()
    for (i in 0 until n) {
        val t = System.nanoTime()
        call()
        micros[i] = (System.nanoTime() - t) / 1e3
    }
    mapOf("n" to n, "seconds" to (System.nanoTime() - start) / 1e9, "micros" to micros.toList())
}

private suspend fun runFor(call: suspend () -> Any, concurrency: Int, seconds: Double): Pair<Long, Long> {
    val deadline = System.nanoTime() + (seconds * 1e9).toLong()
    val calls = java.util.concurrent.atomic.AtomicLong()
    val errors = java.util.concurrent.atomic.AtomicLong()
    kotlinx.coroutines.coroutineScope {
        repeat(concurrency) {
            launch {
                while (System.nanoTime() < deadline) {
                    try {
                        call()
                        calls.incrementAndGet()
                    } catch (e: Exception) {
                        errors.incrementAndGet()
                    }
                }
            }
        }
    }
    return calls.get() to errors.get()
}

private fun throughput(args: Map<String, String>): Map<String, Any> = runBlocking(Dispatchers.Default) {
    val call = caller(args.getValue("impl"))
    val concurrency = args.getValue("concurrency").toInt()
    runFor(call, concurrency, args["warmup"]?.toDouble() ?: 0.5)
    val start = System.nanoTime()
    val (calls, errors) = runFor(call, concurrency, args["seconds"]?.toDouble() ?: 3.0)
    mapOf("concurrency" to concurrency, "calls" to calls, "errors" to errors, "seconds" to (System.nanoTime() - start) / 1e9)
}

private fun paginate(args: Map<String, String>): Map<String, Any> = runBlocking {
    val client = LassoClient(apiKey = API_KEY, baseUrl = BASE_URL, timeout = 10.minutes)
    val rssBefore = rssNow()
    val start = System.nanoTime()
    val rows = ArrayList<JsonObject>()
    client.tables.iterRows(args.getValue("table")).collect { row -> rows.add(row.data) }
    mapOf("rows" to rows.size, "seconds" to (System.nanoTime() - start) / 1e9, "peak_rss" to rssPeak(), "rss_before" to rssBefore)
}

private fun toJson(value: Any?): String = when (value) {
    null -> "null"
    is String -> "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\""
    is Number, is Boolean -> value.toString()
    is List<*> -> value.joinToString(",", "[", "]") { toJson(it) }
    is Map<*, *> -> value.entries.joinToString(",", "{", "}") { (k, v) -> toJson(k.toString()) + ":" + toJson(v) }
    else -> toJson(value.toString())
}

fun main(argv: Array<String>) {
    val scenario = argv.first()
    val args = argv.drop(1).chunked(2).associate { (k, v) -> k.removePrefix("--") to v }
    val result = when (scenario) {
        "latency" -> latency(args)
        "throughput" -> throughput(args)
        "paginate" -> paginate(args)
        else -> error("unknown scenario $scenario")
    }.toMutableMap()
    result["jvm"] = ManagementFactory.getRuntimeMXBean().vmVersion
    println(toJson(result))
    System.exit(0)
}
