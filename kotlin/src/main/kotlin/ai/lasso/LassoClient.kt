package ai.lasso

import ai.lasso.ffi.CallOptions
import ai.lasso.ffi.ClientOptions
import ai.lasso.ffi.InternalException
import ai.lasso.ffi.NativeClient
import ai.lasso.ffi.NativeException
import java.util.concurrent.CompletableFuture
import kotlin.time.Duration
import kotlin.time.toKotlinDuration
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.future.future
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject

/** This package's version. */
const val VERSION: String = "0.1.0"

/**
 * Options of one call, over the client's own settings.
 *
 * ```kotlin
 * client.tables.get(id, options = RequestOptions(timeout = 5.seconds, maxRetries = 0))
 * ```
 */
class RequestOptions(
    /** Time allowed for each attempt, reading the body included. */
    val timeout: Duration? = null,
    /** Retries after a failed first attempt, within the billing-safe policy. */
    val maxRetries: Int? = null,
    /** Time allowed for the whole call (every attempt; for an export to a file, the whole download). */
    val totalTimeout: Duration? = null,
) {
    override fun toString(): String = "RequestOptions(timeout=$timeout, maxRetries=$maxRetries, totalTimeout=$totalTimeout)"

    companion object {
        /** For Java: `RequestOptions.of(Duration.ofSeconds(5), 0)` (either may be `null`). */
        @JvmStatic
        fun of(timeout: java.time.Duration?, maxRetries: Int?): RequestOptions =
            RequestOptions(timeout?.toKotlinDuration(), maxRetries)
    }
}

/** Per-call options as the native layer takes them. */
internal fun RequestOptions?.toNative(): CallOptions =
    CallOptions(
        timeoutMs = this?.timeout?.millis(),
        maxRetries = this?.maxRetries?.toLong(),
        totalTimeoutMs = this?.totalTimeout?.millis(),
    )

internal fun Duration.millis(): Double = inWholeNanoseconds / 1_000_000.0

/**
 * Runs a native call, turning its failure into the matching [LassoException]
 * (a panic in the core becomes a `LassoException` of kind `internal_sdk_error`).
 */
internal inline fun <T> native(block: () -> T): T =
    try {
        block()
    } catch (e: NativeException.Lasso) {
        throw LassoException.fromNative(e.fields)
    } catch (e: InternalException) {
        throw LassoException("internal error in the Lasso SDK (this is a bug, please report it): ${e.message}",
            ErrorFields(kind = "internal_sdk_error"))
    }

/**
 * What the generated resource methods call through: one operation by id with
 * JSON arguments, pages as a [Flow], and the `CompletableFuture` twins for Java.
 */
internal class Caller(private val client: NativeClient) {
    /** Runs the `…Async` methods; never cancelled (calls in flight finish after `close()`). */
    private val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)

    fun native(): NativeClient = client

    /** Calls `operation` and returns its JSON answer (`JsonNull` when empty). */
    suspend fun callJson(operation: String, args: JsonObject, options: RequestOptions?): JsonElement {
        val text = native { client.call(operation, args.toString(), options.toNative()) }
        return JsonCodec.parse(text)
    }

    /** Calls `operation` and decodes its answer with `decode`. */
    suspend fun <T> call(operation: String, args: Args, options: RequestOptions?, decode: (JsonElement) -> T): T =
        decoded(operation) { decode(callJson(operation, args.toJson(), options)) }

    /** Calls an operation whose success has no body. */
    suspend fun callEmpty(operation: String, args: Args, options: RequestOptions?) {
        callJson(operation, args.toJson(), options)
    }

    /**
     * Every item of a list operation, page after page, through the core's pager
     * (which fetches the next page while this one is collected). Cold: each
     * collection starts from the first page; cancelling it drops the prefetch.
     */
    fun pagesJson(operation: String, args: JsonObject, options: RequestOptions?): Flow<JsonElement> = flow {
        val pager = native { client.openPager(operation, args.toString(), options.toNative()) }
        try {
            while (true) {
                val text = native { pager.nextPage() } ?: break
                val items = JsonCodec.parse(text) as JsonArray
                for (item in items) emit(item)
            }
        } finally {
            pager.stop()
            pager.close()
        }
    }

    /** Like [pagesJson], each item decoded with `decode`. */
    fun <T> paginate(operation: String, args: Args, options: RequestOptions?, decode: (JsonElement) -> T): Flow<T> {
        val pages = pagesJson(operation, args.toJson(), options)
        return flow { pages.collect { item -> emit(decoded(operation) { decode(item) }) } }
    }

    /** `block` as a `CompletableFuture` (for Java); cancelling the future cancels the call. */
    fun <T> future(block: suspend () -> T): CompletableFuture<T> = scope.future { block() }
}

/** Runs a decoder, turning a mismatch into a [ResponseDecodeException] naming `operation`. */
internal inline fun <T> decoded(operation: String, decode: () -> T): T =
    try {
        decode()
    } catch (e: DecodeFailure) {
        throw ResponseDecodeException(
            "$operation: the response is not the expected JSON (${e.message})",
            ErrorFields(kind = "decode", statusCode = 200),
        )
    }

/**
 * A client of the Lasso API.
 *
 * ```kotlin
 * LassoClient().use { client ->                     // LASSO_API_KEY, LASSO_BASE_URL
 *     val found = client.search(query = "stainless steel water bottle", maxResults = 3)
 *     try {
 *         client.tables.get("tbl_missing")
 *     } catch (e: NotFoundException) {
 *         println("no such table (request ${e.requestId})")
 *     }
 * }
 * ```
 *
 * Every operation is a `suspend` method of a resource (`client.tables.get(id)`), with
 * a `CompletableFuture` twin for Java (`client.getTables().getAsync(id)`). Omitted
 * settings come from `LASSO_API_KEY` / `LASSO_BASE_URL`, then from the defaults. The
 * key is checked here (an [InvalidApiKeyException] before any request) and never
 * shown: `toString()` prints the base URL and `lasso_…` plus its last four characters.
 *
 * @param apiKey `lasso_` + 64 hex characters; default `LASSO_API_KEY`.
 * @param baseUrl default `LASSO_BASE_URL`, else `https://hub.banditshq.com/api/v1`;
 *   `http://` only for loopback hosts (e.g. `lasso-mock`).
 * @param timeout time allowed for one attempt, reading the body included (default 60 s).
 * @param connectTimeout time allowed to connect (default 10 s).
 * @param maxRetries retries after a failed first attempt, within the billing-safe policy (default 2).
 * @param headers extra headers sent with every request (`Authorization` cannot be overridden).
 * @param proxy an `http://host:port` proxy for `https://` requests; default `HTTPS_PROXY` / `ALL_PROXY`.
 * @param noProxy no proxy at all, whatever the environment says.
 * @param caBundle extra certificate authorities to trust: a PEM file path or PEM text.
 * @param maxConnections requests in flight at once (default 64); more calls wait for a free slot.
 * @param maxResponseBytes the largest body read into memory (default 256 MiB); export to a path for more.
 * @param userAgentSuffix appended to the `User-Agent`, e.g. `my-app/1.2`.
 * @param allowNonstandardKey accept keys of a format newer than this SDK.
 * @throws InvalidApiKeyException when the key is missing or malformed.
 * @throws ConfigurationException when another setting is invalid.
 */
class LassoClient(
    apiKey: String? = null,
    baseUrl: String? = null,
    timeout: Duration? = null,
    connectTimeout: Duration? = null,
    maxRetries: Int? = null,
    headers: Map<String, String> = emptyMap(),
    proxy: String? = null,
    noProxy: Boolean = false,
    caBundle: String? = null,
    maxConnections: Int? = null,
    maxResponseBytes: Long? = null,
    userAgentSuffix: String? = null,
    allowNonstandardKey: Boolean = false,
) : ClientMethods(), AutoCloseable {
    private val nativeClient: NativeClient = native {
        NativeClient(
            apiKey,
            ClientOptions(
                baseUrl = baseUrl,
                timeoutMs = timeout?.millis(),
                connectTimeoutMs = connectTimeout?.millis(),
                maxRetries = maxRetries?.toLong(),
                headers = headers,
                userAgentSuffix = userAgentSuffix,
                allowNonstandardKey = allowNonstandardKey,
                frontDoor = FRONT_DOOR,
                proxy = proxy,
                noProxy = noProxy,
                caBundle = caBundle,
                maxConnections = maxConnections?.toLong(),
                maxResponseBytes = maxResponseBytes,
            ),
        )
    }

    override val caller: Caller = Caller(nativeClient)

    /** `tables` operations, plus [TablesResource.waitForCompletion]. */
    override val tables: TablesResource = TablesResource(caller)

    /** `files` operations, plus [FilesResource.upload]. */
    override val files: FilesResource = FilesResource(caller)

    /** Exports of a table: `csv`, `json`, `xlsx`, `images` (in memory or to a file). */
    val export: Export = Export(caller)

    /** The base URL, without a trailing slash. */
    val baseUrl: String get() = nativeClient.baseUrl()

    /** The API key masked as `lasso_…` plus its last four characters. */
    val maskedKey: String get() = nativeClient.maskedKey()

    /** Whether [close] was called. */
    val isClosed: Boolean get() = nativeClient.isShutDown()

    /**
     * Releases the client: its idle connections are closed once the calls in flight
     * have finished, and later calls fail with a [ConfigurationException]. Safe to
     * call more than once; `use { }` calls it.
     */
    override fun close() {
        nativeClient.shutdown()
    }

    /** `LassoClient(baseUrl=…, apiKey=lasso_…abcd)`. */
    override fun toString(): String = "LassoClient(baseUrl=$baseUrl, apiKey=$maskedKey)"

    /** Builds a client from Java: `LassoClient.builder().apiKey(key).build()`. */
    class Builder internal constructor() {
        private var apiKey: String? = null
        private var baseUrl: String? = null
        private var timeout: Duration? = null
        private var connectTimeout: Duration? = null
        private var maxRetries: Int? = null
        private val headers = LinkedHashMap<String, String>()

        /** `lasso_` + 64 hex characters; default `LASSO_API_KEY`. */
        fun apiKey(apiKey: String?): Builder = apply { this.apiKey = apiKey }

        /** Default `LASSO_BASE_URL`, else the published URL. */
        fun baseUrl(baseUrl: String?): Builder = apply { this.baseUrl = baseUrl }

        /** Time allowed for one attempt. */
        fun timeout(timeout: java.time.Duration?): Builder = apply { this.timeout = timeout?.toKotlinDuration() }

        /** Time allowed to connect. */
        fun connectTimeout(timeout: java.time.Duration?): Builder =
            apply { this.connectTimeout = timeout?.toKotlinDuration() }

        /** Retries after a failed first attempt. */
        fun maxRetries(maxRetries: Int?): Builder = apply { this.maxRetries = maxRetries }

        /** An extra header sent with every request. */
        fun header(name: String, value: String): Builder = apply { headers[name] = value }

        /** The client. */
        fun build(): LassoClient =
            LassoClient(
                apiKey = apiKey,
                baseUrl = baseUrl,
                timeout = timeout,
                connectTimeout = connectTimeout,
                maxRetries = maxRetries,
                headers = headers,
            )

        override fun toString(): String = "LassoClient.Builder(baseUrl=$baseUrl)"
    }

    companion object {
        /** The `User-Agent` product of this front door. */
        @JvmField
        val FRONT_DOOR: String = "lasso-kotlin/$VERSION jvm/${System.getProperty("java.version")}"

        /** A builder, for Java. */
        @JvmStatic
        fun builder(): Builder = Builder()
    }
}
