// Cross-language conformance: runs every scenario of tests/conformance/*.json
// against lasso-mock. The Rust (crates/lasso-ai/tests/conformance.rs), Python
// (python/tests/test_conformance.py) and Node (node/test/conformance.test.mjs)
// runners mirror this file; the format is described in tests/conformance/README.md.
// Results go to target/conformance/kotlin.json for `just conformance`.
package ai.lasso

import java.nio.file.Files
import kotlin.time.Duration.Companion.milliseconds
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.booleanOrNull
import kotlinx.serialization.json.doubleOrNull
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import kotlinx.serialization.json.longOrNull
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestFactory
import org.junit.jupiter.api.TestInstance

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConformanceTest {
    private class Failed(message: String) : Exception(message)

    private val dir = Mock.REPO.resolve("tests/conformance")
    private val classes: JsonObject =
        Json.parseToJsonElement(Files.readString(dir.resolve("error_classes.json"))).jsonObject["classes"]!!.jsonObject
    private val all: List<JsonObject> =
        Files.list(dir).use { files ->
            files.filter { it.toString().endsWith(".json") && it.fileName.toString() != "error_classes.json" }
                .sorted()
                .toList()
        }.flatMap { Json.parseToJsonElement(Files.readString(it)).jsonObject["scenarios"]!!.jsonArray.map { s -> s.jsonObject } }
    private val results = LinkedHashMap<String, String?>()
    private lateinit var mock: Mock

    @BeforeAll
    fun start() {
        mock = Mock.start("--time-scale", "0")
    }

    @AfterAll
    fun stop() {
        val out = Mock.REPO.resolve("target/conformance")
        Files.createDirectories(out)
        val rows = all.map { s ->
            val id = s.str("id")
            val error = if (results.containsKey(id)) results[id] else "not run"
            JsonObject(mapOf("id" to JsonPrimitive(id), "ok" to JsonPrimitive(error == null), "error" to (error?.let(::JsonPrimitive) ?: JsonNull)))
        }
        val doc = JsonObject(mapOf("language" to JsonPrimitive("kotlin"), "results" to JsonArray(rows)))
        Files.writeString(out.resolve("kotlin.json"), doc.toString())
        mock.close()
    }

    @TestFactory
    fun scenarios(): List<DynamicTest> = all.map { scenario ->
        val id = scenario.str("id")
        DynamicTest.dynamicTest(id) {
            mock.reset()
            try {
                runBlocking { run(scenario) }
                results[id] = null
            } catch (e: Failed) {
                results[id] = e.message
                throw AssertionError(e.message)
            } catch (e: Throwable) {
                results[id] = "${e::class.simpleName}: ${e.message}"
                throw e
            }
        }
    }

    @Test
    fun `scenario ids are unique`() {
        val ids = all.map { it.str("id") }
        assertEquals(ids.toSet().size, ids.size, "duplicate ids")
    }

    // --- the interpretation: identical in every runner ------------------------------------

    private fun JsonObject.str(key: String): String = this[key]!!.jsonPrimitive.content

    private fun lookup(value: JsonElement?, path: String): JsonElement {
        var v: JsonElement = value ?: JsonNull
        for (part in if (path.isEmpty()) emptyList() else path.split(".")) {
            v = when {
                v is JsonArray && part.all(Char::isDigit) && part.toInt() < v.size -> v[part.toInt()]
                v is JsonObject && v.containsKey(part) -> v[part]!!
                else -> throw Failed("nothing at `$path`")
            }
        }
        return v
    }

    private val variable = Regex("\\$\\{([^}]+)\\}")

    /** `${name.path}` in strings: a whole-string reference keeps the saved value's type. */
    private fun substitute(value: JsonElement, env: Map<String, JsonElement>): JsonElement {
        fun resolve(ref: String): JsonElement {
            val name = ref.substringBefore(".")
            val path = if (ref.contains(".")) ref.substringAfter(".") else ""
            val saved = env[name] ?: throw Failed("unknown variable `$name`")
            return lookup(saved, path)
        }
        return when (value) {
            is JsonArray -> JsonArray(value.map { substitute(it, env) })
            is JsonObject -> JsonObject(value.mapValues { substitute(it.value, env) })
            is JsonPrimitive -> {
                if (!value.isString) return value
                val text = value.content
                val whole = Regex("^\\$\\{([^}]+)\\}$").find(text)
                if (whole != null) return resolve(whole.groupValues[1])
                JsonPrimitive(variable.replace(text) { m ->
                    val v = resolve(m.groupValues[1])
                    if (v is JsonPrimitive && v.isString) v.content else v.toString()
                })
            }
            else -> value
        }
    }

    private fun kindOf(v: JsonElement?): String = when {
        v == null || v is JsonNull -> "null"
        v is JsonArray -> "array"
        v is JsonObject -> "object"
        (v as JsonPrimitive).isString -> "string"
        v.booleanOrNull != null -> "bool"
        else -> "number"
    }

    private fun show(v: JsonElement?): String = (v?.toString() ?: "null").take(200)

    /** Subset match: objects may have more keys, `null` means null or absent,
     *  arrays must have the same length, numbers compare by value. */
    private fun match(expected: JsonElement, actual: JsonElement?, where: String) {
        if (expected is JsonNull) {
            if (actual != null && actual !is JsonNull) throw Failed("$where: expected null, got ${show(actual)}")
            return
        }
        if (kindOf(expected) != kindOf(actual)) throw Failed("$where: expected ${show(expected)}, got ${show(actual)}")
        when (expected) {
            is JsonArray -> {
                val a = actual as JsonArray
                if (expected.size != a.size) throw Failed("$where: expected ${expected.size} items, got ${a.size}")
                expected.forEachIndexed { i, e -> match(e, a[i], "$where[$i]") }
            }
            is JsonObject -> for ((k, v) in expected) match(v, (actual as JsonObject)[k], "$where.$k")
            is JsonPrimitive -> {
                val a = actual as JsonPrimitive
                val same = if (kindOf(expected) == "number") expected.doubleOrNull == a.doubleOrNull else expected.content == a.content
                if (!same) throw Failed("$where: expected $expected, got $a")
            }
        }
    }

    private fun checkOutcome(expect: JsonObject, result: JsonElement, error: JsonObject?) {
        if ("error" in expect) {
            if (error == null) throw Failed("expected an error, got ${show(result)}")
            val wanted = expect["error"]!!.jsonObject.toMutableMap()
            val kind = wanted.remove("kind")!!.jsonPrimitive.content
            // error_classes.json names the Python/Node class (`NotFoundError`); Kotlin's is
            // the same base name + `Exception` (lasso_spec::ERRORS).
            wanted["class"] = classes[kind]?.jsonPrimitive?.content?.let { JsonPrimitive(it.removeSuffix("Error") + "Exception") } ?: JsonNull
            match(JsonObject(wanted), error, "error")
            return
        }
        if (error != null) throw Failed("unexpected ${error.str("class")}: ${error["message"]?.jsonPrimitive?.content}")
        expect["result"]?.let { match(it, result, "result") }
        expect["count"]?.let { match(it, JsonPrimitive((result as JsonArray).size), "count") }
    }

    /** The last request the mock received, with its query string as an object. */
    private fun requestView(entry: JsonElement?): JsonElement {
        if (entry == null) return JsonNull
        val o = entry.jsonObject
        val query = LinkedHashMap<String, JsonElement>()
        val raw = (o["query"] as? JsonPrimitive)?.content ?: ""
        for (pair in raw.split("&").filter { it.isNotEmpty() }) {
            val k = java.net.URLDecoder.decode(pair.substringBefore("="), Charsets.UTF_8)
            val v = JsonPrimitive(java.net.URLDecoder.decode(pair.substringAfter("=", ""), Charsets.UTF_8))
            query[k] = when (val prev = query[k]) {
                null -> v
                is JsonArray -> JsonArray(prev + v)
                else -> JsonArray(listOf(prev, v))
            }
        }
        return JsonObject(o + ("query" to JsonObject(query)))
    }

    // --- the SDK and the mock, as this language reaches them ---------------------------------

    private fun errorView(e: Throwable): JsonObject {
        fun p(v: Any?): JsonElement = when (v) {
            null -> JsonNull
            is JsonElement -> v
            is String -> JsonPrimitive(v)
            is Number -> JsonPrimitive(v)
            is Boolean -> JsonPrimitive(v)
            else -> JsonPrimitive(v.toString())
        }
        val l = e as? LassoException
        return JsonObject(
            mapOf(
                "class" to JsonPrimitive(e::class.simpleName),
                "status" to p(l?.statusCode),
                "error_type" to p(l?.errorType),
                "code" to p(l?.code),
                "message" to p(e.message),
                "request_id" to p(l?.requestId),
                "retryable" to p(l?.retryable),
                "retry_after" to p(l?.retryAfter?.let { it.inWholeMilliseconds / 1000.0 }),
                "details" to p(l?.details),
                "body" to p(l?.body),
                "raw_body" to p(l?.rawBody),
            ),
        )
    }

    private fun seconds(v: JsonElement): kotlin.time.Duration = (v.jsonPrimitive.doubleOrNull!! * 1000).milliseconds

    private fun makeClient(spec: JsonObject): LassoClient {
        val key = if ("api_key" in spec) (spec["api_key"] as? JsonPrimitive)?.takeIf { it.isString }?.content else Mock.KEY
        return LassoClient(
            apiKey = key,
            baseUrl = (spec["base_url"] as? JsonPrimitive)?.content ?: mock.baseUrl,
            timeout = spec["timeout"]?.let(::seconds),
            maxRetries = spec["max_retries"]?.jsonPrimitive?.longOrNull?.toInt(),
            allowNonstandardKey = spec["allow_nonstandard_key"]?.jsonPrimitive?.booleanOrNull ?: false,
        )
    }

    private suspend fun call(client: LassoClient, step: JsonObject): JsonElement {
        val op = step.str("call")
        val args = (step["args"] as? JsonObject) ?: JsonObject(emptyMap())
        val given = (step["options"] as? JsonObject) ?: JsonObject(emptyMap())
        val options = RequestOptions(
            timeout = given["timeout"]?.let(::seconds),
            maxRetries = given["max_retries"]?.jsonPrimitive?.longOrNull?.toInt(),
        )
        val caller = client.caller
        if (step["iterate"]?.jsonPrimitive?.booleanOrNull == true) {
            return JsonArray(caller.pagesJson(op, args, options).toList())
        }
        return when (op) {
            "files.upload" -> client.files.uploadJson(
                null,
                args.str("content").toByteArray(),
                args.str("filename"),
                (args["content_type"] as? JsonPrimitive)?.content,
                options,
            )
            "tables.wait_for_completion" -> client.tables.waitJson(
                args.str("table_id"), seconds(args["interval"]!!), seconds(args["timeout"]!!), null, null,
            )
            "tables.export" -> {
                val format = args.str("format")
                val columns = (args["columns"] as? JsonPrimitive)?.content?.split(",")
                val out = client.export.toMemory(args.str("table_id"), format, columns, options)
                val text = if (format == "csv" || format == "json") JsonPrimitive(String(out.data, Charsets.UTF_8)) else JsonNull
                JsonObject(
                    mapOf(
                        "content_type" to (out.contentType?.let(::JsonPrimitive) ?: JsonNull),
                        "filename" to (out.filename?.let(::JsonPrimitive) ?: JsonNull),
                        "size" to JsonPrimitive(out.data.size),
                        "text" to text,
                    ),
                )
            }
            else -> caller.callJson(op, args, options)
        }
    }

    private suspend fun run(scenario: JsonObject) {
        val env = HashMap<String, JsonElement>()
        val fallback = makeClient(JsonObject(emptyMap()))
        try {
            scenario["steps"]!!.jsonArray.forEachIndexed { i, raw ->
                val rawStep = raw.jsonObject
                val save = (rawStep["save"] as? JsonObject) ?: JsonObject(emptyMap())
                try {
                    val step = substitute(JsonObject(rawStep - "save"), env).jsonObject
                    if ("fault" in step) {
                        mock.fault(step["fault"]!!)
                        return@forEachIndexed
                    }
                    var result: JsonElement = JsonNull
                    var error: JsonObject? = null
                    try {
                        val client = if ("client" in step) makeClient(step["client"]!!.jsonObject) else fallback
                        result = call(client, step)
                    } catch (e: LassoException) {
                        error = errorView(e)
                    }
                    checkOutcome((step["expect"] as? JsonObject) ?: JsonObject(emptyMap()), result, error)
                    for ((name, path) in save) env[name] = lookup(result, path.jsonPrimitive.content)
                    if ("request" in step) {
                        match(step["request"]!!, requestView(mock.requests().lastOrNull()), "request")
                    }
                    if ("stats" in step) match(step["stats"]!!, mock.stats(), "stats")
                } catch (e: Failed) {
                    val what = (rawStep["call"] as? JsonPrimitive)?.content ?: "fault"
                    throw Failed("step ${i + 1} ($what): ${e.message}")
                }
            }
        } finally {
            fallback.close()
        }
    }
}
