package ai.lasso

import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.booleanOrNull
import kotlinx.serialization.json.doubleOrNull
import kotlinx.serialization.json.longOrNull

/**
 * The defaults of optional arguments: an argument left at its default is not sent at
 * all, like Python's `NOT_GIVEN` and an omitted key in Node. An explicit `null` is
 * handed to the core as `null`, which treats it the same way in every language: sent
 * as JSON `null` where the API takes any JSON (a bulk update's `value`) or for an
 * argument newer than this SDK (`extra`), and otherwise taken as not given. Each
 * constant is one object compared by identity, never equal to a value you pass.
 */
object NotGiven {
    /** Default of an optional string argument. */
    @JvmField val STRING: String? = String(CharArray(0))

    /** Default of an optional integer argument. */
    @JvmField val INT: Int? = Integer.valueOf(Int.MIN_VALUE)

    /** Default of an optional number argument. */
    @JvmField val DOUBLE: Double? = java.lang.Double.valueOf(Double.NaN)

    /** Default of an optional boolean argument (a box of its own: `Boolean.valueOf` shares two). */
    @Suppress("DEPRECATION", "PLATFORM_CLASS_MAPPED_TO_KOTLIN")
    @JvmField
    val BOOLEAN: Boolean? = java.lang.Boolean(false) as Boolean?

    /** Default of an optional list argument. */
    @JvmField val LIST: List<Nothing>? = object : AbstractList<Nothing>() {
        override val size: Int get() = 0
        override fun get(index: Int): Nothing = throw IndexOutOfBoundsException()
        override fun toString() = "NotGiven"
    }

    /** Default of an optional object argument. */
    @JvmField val MAP: Map<String, Nothing>? = object : AbstractMap<String, Nothing>() {
        override val entries: Set<Map.Entry<String, Nothing>> get() = emptySet()
        override fun toString() = "NotGiven"
    }

    /** Default of an optional argument of any JSON type. */
    @JvmField val ANY: Any? = object {
        override fun toString() = "NotGiven"
    }

    /** The value of the `NOT_GIVEN` constant of every string enumeration. */
    internal val ENUM_VALUE: String = String(CharArray(0))

    private val ALL: List<Any?> = listOf(STRING, INT, DOUBLE, BOOLEAN, LIST, MAP, ANY)

    /** Whether `value` is a default of this object (the argument was not given). */
    @JvmStatic
    fun isNotGiven(value: Any?): Boolean =
        value != null && (ALL.any { it === value } || (value as? StringEnum)?.value === ENUM_VALUE)
}

/** The JSON parser and printer of the SDK (kotlinx.serialization's tree, no compiler plugin). */
internal object JsonCodec {
    private val json = Json

    fun parse(text: String): JsonElement = json.parseToJsonElement(text)

    /** The deepest nesting of lists and maps an argument may have (the core's limit). */
    private const val MAX_DEPTH = 128

    /**
     * A Kotlin value as JSON: `null`, strings, numbers, booleans, maps with string
     * keys, lists, arrays, enumerations of this SDK and [JsonElement]s. [at] names the
     * value in errors (`extraBody.tags[2]`).
     */
    fun toJson(value: Any?, at: String = "the value", depth: Int = 0): JsonElement {
        if (depth > MAX_DEPTH) {
            throw ConfigurationException(
                "$at: the arguments are nested more than $MAX_DEPTH levels deep; flatten them " +
                    "(a list or map that contains itself?)",
            )
        }
        return when (value) {
            null -> JsonNull
            is JsonElement -> value
            is String -> JsonPrimitive(value)
            is Number -> JsonPrimitive(value)
            is Boolean -> JsonPrimitive(value)
            is StringEnum -> JsonPrimitive(value.value)
            is Map<*, *> ->
                JsonObject(
                    value.entries.associate { (k, v) ->
                        val key = k as? String ?: throw ConfigurationException(
                            "$at: a map sent as JSON must have string keys, not " +
                                (k?.let { className(it) } ?: "a null key"),
                        )
                        key to toJson(v, "$at.$key", depth + 1)
                    },
                )
            is Iterable<*> -> JsonArray(value.mapIndexed { i, v -> toJson(v, "$at[$i]", depth + 1) })
            is Array<*> -> JsonArray(value.mapIndexed { i, v -> toJson(v, "$at[$i]", depth + 1) })
            else -> throw ConfigurationException(
                "$at: JSON cannot carry a value of class ${className(value)}; send a String, Number, Boolean, " +
                    "null, List, Map or JsonElement",
            )
        }
    }

    /** The class as a user can find it (anonymous objects and lambdas have no simple name). */
    private fun className(value: Any): String = value::class.qualifiedName ?: value.javaClass.name
}

/** An enumeration of the API whose values newer than this SDK are kept as they came. */
interface StringEnum {
    /** The value on the wire. */
    val value: String
}

/** The arguments of one call, by wire name, as generated methods collect them. */
internal class Args {
    val values: LinkedHashMap<String, JsonElement> = LinkedHashMap()

    /** Sends `value` (`null` as JSON `null`). */
    fun put(name: String, value: Any?): Args {
        values[name] = JsonCodec.toJson(value, name)
        return this
    }

    /** Sends `value` unless it is the default of [NotGiven]. */
    fun opt(name: String, value: Any?): Args {
        if (!NotGiven.isNotGiven(value)) values[name] = JsonCodec.toJson(value, name)
        return this
    }

    /** Arguments newer than this SDK, sent as given (after the known ones). */
    fun extra(extra: Map<String, Any?>): Args {
        for ((k, v) in extra) values[k] = JsonCodec.toJson(v, "extraBody.$k")
        return this
    }

    internal fun toJson(): JsonObject = JsonObject(values)
}

/**
 * Raised by the generated decoders when a response does not have the shape of its
 * model; the client turns it into a [ResponseDecodeException] naming the operation.
 */
internal class DecodeFailure(message: String) : Exception(message)

/** The generated models' decoders: strict about the fields a model requires, like the Rust types. */
internal object Decode {
    private fun fail(model: String, key: String, what: String, got: JsonElement?): Nothing {
        val shown = got?.toString()?.let { if (it.length > 80) it.take(80) + "…" else it } ?: "nothing"
        throw DecodeFailure("$model.$key: expected $what, got $shown")
    }

    /** The object a model decodes from. */
    @JvmStatic
    fun obj(json: JsonElement, model: String): JsonObject =
        json as? JsonObject ?: throw DecodeFailure("expected a $model object, got ${json.toString().take(80)}")

    /** A required field. */
    @JvmStatic
    fun <T> req(o: JsonObject, key: String, model: String, read: (JsonElement, String) -> T): T {
        val v = o[key]
        if (v == null || v == JsonNull) fail(model, key, "a value", v)
        return read(v, "$model.$key")
    }

    /** An optional or nullable field: `null` when absent or `null`. */
    @JvmStatic
    fun <T> opt(o: JsonObject, key: String, model: String, read: (JsonElement, String) -> T): T? {
        val v = o[key]
        if (v == null || v == JsonNull) return null
        return read(v, "$model.$key")
    }

    /** The fields not in `known`, as they came. */
    @JvmStatic
    fun extra(o: JsonObject, known: Set<String>): Map<String, JsonElement> =
        if (o.keys.all { it in known }) emptyMap() else o.filterKeys { it !in known }

    private fun primitive(v: JsonElement, where: String, what: String): JsonPrimitive =
        v as? JsonPrimitive ?: throw DecodeFailure("$where: expected $what, got ${v.toString().take(80)}")

    @JvmStatic
    fun string(v: JsonElement, where: String): String {
        val p = primitive(v, where, "a string")
        if (!p.isString) throw DecodeFailure("$where: expected a string, got $p")
        return p.content
    }

    @JvmStatic
    fun long(v: JsonElement, where: String): Long {
        val p = primitive(v, where, "an integer")
        return p.takeIf { !it.isString }?.longOrNull ?: throw DecodeFailure("$where: expected an integer, got $p")
    }

    @JvmStatic
    fun double(v: JsonElement, where: String): Double {
        val p = primitive(v, where, "a number")
        return p.takeIf { !it.isString }?.doubleOrNull ?: throw DecodeFailure("$where: expected a number, got $p")
    }

    @JvmStatic
    fun boolean(v: JsonElement, where: String): Boolean {
        val p = primitive(v, where, "a boolean")
        return p.takeIf { !it.isString }?.booleanOrNull ?: throw DecodeFailure("$where: expected a boolean, got $p")
    }

    @JvmStatic
    fun json(v: JsonElement, @Suppress("UNUSED_PARAMETER") where: String): JsonElement = v

    @JvmStatic
    fun jsonObject(v: JsonElement, where: String): JsonObject =
        v as? JsonObject ?: throw DecodeFailure("$where: expected an object, got ${v.toString().take(80)}")

    @JvmStatic
    fun <T> list(v: JsonElement, where: String, item: (JsonElement, String) -> T): List<T> {
        val a = v as? JsonArray ?: throw DecodeFailure("$where: expected a list, got ${v.toString().take(80)}")
        return a.mapIndexed { i, e -> item(e, "$where[$i]") }
    }

    @JvmStatic
    fun <T> map(v: JsonElement, where: String, value: (JsonElement, String) -> T): Map<String, T> {
        val o = jsonObject(v, where)
        return o.mapValues { (k, e) -> value(e, "$where.$k") }
    }
}
