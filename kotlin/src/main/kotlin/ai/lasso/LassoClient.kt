package ai.lasso

import ai.lasso.ffi.CallOptions
import ai.lasso.ffi.ClientOptions
import ai.lasso.ffi.InternalException
import ai.lasso.ffi.LogSink
import ai.lasso.ffi.NativeClient
import ai.lasso.ffi.NativeException
import java.util.concurrent.CompletableFuture
import kotlin.coroutines.AbstractCoroutineContextElement
import kotlin.coroutines.CoroutineContext
import kotlin.time.Duration
import kotlin.time.toKotlinDuration
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.withContext
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.future.future
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject

/** This package's version. */
const val VERSION: String = "0.1.0"

/**
 * Options of one call, over the client's own settings (or, given to
 * [LassoClient.withOptions], defaults of every call of a derived client).
 *
 * ```kotlin
 * client.tables.get(id, options = RequestOptions(timeout = 5.seconds, maxRetries = 0))
 * client.tables.list(options = RequestOptions(headers = mapOf("X-Trace" to "t1"), extraQuery = mapOf("future_filter" to "x")))
 * ```
 */
class RequestOptions(
    /** Time allowed for each attempt, reading the body included; [Duration.INFINITE] for none. */
    val timeout: Duration? = null,
    /** Retries after a failed first attempt, within the billing-safe policy. */
    val maxRetries: Int? = null,
    /** Time allowed for the whole call (every attempt; for an export to a file, the whole download). */
    val totalTimeout: Duration? = null,
    /** Headers for this call; each replaces the client's header of the same name (`Authorization` is refused). */
    val headers: Map<String, String> = emptyMap(),
    /**
     * Query parameters sent besides the method's own (for API parameters newer than this
     * SDK): a value, or a list of values sent under the name once each.
     */
    val extraQuery: Map<String, Any> = emptyMap(),
    /** Fields merged into the JSON body (for API fields newer than this SDK). */
    val extraBody: Map<String, Any?> = emptyMap(),
    /**
     * Sends an `enrich` of more than 5 records without a `webhookUrl`, which the SDK
     * otherwise refuses before sending: the API bills it and answers `202`, and its
     * results can never be fetched.
     */
    val allowEnrichWithoutWebhook: Boolean = false,
) {
    /** Header values are left out: one may be a token. */
    override fun toString(): String =
        "RequestOptions(timeout=$timeout, maxRetries=$maxRetries, totalTimeout=$totalTimeout, " +
            "headers=${headers.keys}, extraQuery=${extraQuery.keys}, extraBody=${extraBody.keys}, " +
            "allowEnrichWithoutWebhook=$allowEnrichWithoutWebhook)"

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
        headers = this?.headers ?: emptyMap(),
        extraQuery =
            this?.extraQuery?.mapValues { (name, value) ->
                val values = if (value is Iterable<*>) value.toList() else listOf(value)
                values.map { v ->
                    when (v) {
                        is String -> v
                        is Number, is Boolean -> v.toString()
                        is StringEnum -> v.value
                        else -> throw ConfigurationException(
                            "extraQuery `$name` must be a string, number or boolean (or a list of them), " +
                                "got ${v?.let { it::class.simpleName }}",
                        )
                    }
                }
            } ?: emptyMap(),
        extraBody = this?.extraBody?.takeIf { it.isNotEmpty() }?.let { JsonCodec.toJson(it, "extraBody").toString() },
        allowEnrichWithoutWebhook = this?.allowEnrichWithoutWebhook ?: false,
    )

/** Milliseconds for the native layer; [Duration.INFINITE] is `Infinity` (no timeout). */
internal fun Duration.millis(): Double =
    if (isInfinite()) Double.POSITIVE_INFINITY else inWholeNanoseconds / 1_000_000.0

/** A log level of [LassoClient]'s `logLevel` and of `LASSO_LOG`. */
enum class LogLevel {
    DEBUG, INFO, WARN, ERROR;

    internal companion object {
        /** `LASSO_LOG`'s level (`debug`, `info`, `warn`, `error`; any case), else `null`. */
        fun fromEnv(): LogLevel? =
            System.getenv("LASSO_LOG")?.trim()?.uppercase()?.let { text ->
                entries.firstOrNull { it.name == text } ?: if (text == "WARNING") WARN else null
            }
    }
}

/**
 * Hears a client's log lines: one `DEBUG` line per attempt (method, path, status,
 * duration, attempt number, request id), `INFO` for a retry, `WARN` for a call that
 * failed for good. Never the key or a body.
 *
 * ```kotlin
 * val client = LassoClient(logger = { level, line -> println("$level $line") }, logLevel = LogLevel.DEBUG)
 * ```
 */
fun interface LogHandler {
    /** One line at [level]. */
    fun log(level: LogLevel, line: String)
}

/** The native logger for `logger` and `logLevel`; with neither, `LASSO_LOG`'s level to stderr. */
private fun nativeLogger(logger: LogHandler?, logLevel: LogLevel?): Pair<LogSink?, LogLevel?> {
    val level = logLevel ?: LogLevel.fromEnv()
    val handler =
        logger ?: if (level == null) return null to null else LogHandler { l, line -> System.err.println("lasso ${l.name.lowercase()}: $line") }
    val sink =
        object : LogSink {
            override fun log(level: String, line: String) {
                val known = LogLevel.entries.firstOrNull { it.name.equals(level, ignoreCase = true) } ?: LogLevel.WARN
                // A logger that throws must not reach the native side.
                runCatching { handler.log(known, line) }
            }
        }
    return sink to (level ?: LogLevel.WARN)
}

/** What a successful response said besides its body: the result of [LassoClient.withResponse]. */
class RawResponse<T>(
    /** What the call returned. */
    val data: T,
    /** The HTTP status (2xx). */
    val status: Int,
    /** The `x-request-id` header, or `null`: quote it to Lasso support about a call that worked. */
    val requestId: String?,
    /** Every header, names lower-cased; a name sent more than once has each value in its list. */
    val headers: Map<String, List<String>>,
) {
    /** The first value of header [name] (any case), or `null`. */
    fun header(name: String): String? = headers[name.lowercase()]?.firstOrNull()

    override fun toString(): String = "RawResponse(status=$status, requestId=$requestId, data=$data)"
}

/** The response of the last call made within [LassoClient.withResponse]'s block. */
internal class ResponseCapture : AbstractCoroutineContextElement(Key) {
    companion object Key : CoroutineContext.Key<ResponseCapture>

    @Volatile var status: Int = 0
    @Volatile var requestId: String? = null
    @Volatile var headers: Map<String, List<String>>? = null
}

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

    /**
     * Calls `operation` and returns its JSON answer (`JsonNull` when empty); within
     * [LassoClient.withResponse], the response's status and headers are kept too.
     */
    suspend fun callJson(operation: String, args: JsonObject, options: RequestOptions?): JsonElement {
        val capture = currentCoroutineContext()[ResponseCapture]
            ?: return JsonCodec.parse(native { client.call(operation, args.toString(), options.toNative()) })
        val answer = native { client.callWithResponse(operation, args.toString(), options.toNative()) }
        capture.status = answer.status.toInt()
        capture.requestId = answer.requestId
        capture.headers = answer.headers.groupBy({ it.name }, { it.value })
        return JsonCodec.parse(answer.text)
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
 */
class LassoClient private constructor(private val nativeClient: NativeClient) : ClientMethods(), AutoCloseable {
    // region generated by lasso-codegen from crates/lasso-spec/src/client_options.rs: do not edit (run `./just codegen`): constructor
    /**
     * A client. Omitted settings come from `LASSO_API_KEY` / `LASSO_BASE_URL`, then from the
     * defaults. The key is checked here, before any request, and never shown.
     *
     * @param apiKey `lasso_` + 64 hex characters; default: the `LASSO_API_KEY` environment
     *   variable. Checked before any request: a missing or malformed key raises
     *   `InvalidApiKeyException`.
     * @param baseUrl The API root; default: `LASSO_BASE_URL`, else
     *   `https://hub.banditshq.com/api/v1`. `http://` is accepted for loopback hosts only (e.g.
     *   `lasso-mock`).
     * @param timeout Time allowed for one attempt, reading the body included. Default 60 s;
     *   `Duration.INFINITE`: none.
     * @param connectTimeout Time allowed to establish a connection. Default 10 s;
     *   `Duration.INFINITE`: none.
     * @param maxRetries Retries after a failed first attempt; a billed call is retried only when
     *   the server cannot have acted on it. Default 2.
     * @param headers Extra headers sent with every request (`Authorization` cannot be overridden).
     * @param proxy An `http://host:port` proxy for `https://` requests (CONNECT tunnels: TLS runs
     *   end to end). Default: `HTTPS_PROXY` / `ALL_PROXY`, hosts in `NO_PROXY` excepted. A loopback
     *   `http://` base URL never uses a proxy.
     * @param noProxy No proxy at all, whatever the environment says.
     * @param caBundle Extra certificate authorities to trust, as a PEM file path or PEM text; the
     *   system's store stays trusted (`SSL_CERT_FILE` and `SSL_CERT_DIR` replace it).
     * @param maxConnections Requests in flight at once; more calls wait for a free slot instead of
     *   opening more sockets. Default 64.
     * @param maxResponseBytes The largest body read into memory, in bytes; a larger answer raises
     *   `ResponseTooLargeException` (export to a path for more). Default 256 MiB.
     * @param userAgentSuffix Appended to the `User-Agent`, e.g. `my-app/1.2`.
     * @param allowNonstandardKey Accept keys of a format newer than this SDK (another length or
     *   alphabet).
     * @param logger Hears the client's log lines: one `debug` line per attempt (method, path,
     *   status, duration, attempt, request id), `info` for a retry, `warn` for a call that failed
     *   for good; never the key or a body. Default: with `LASSO_LOG` set, lines at that level and
     *   above go to stderr.
     * @param logLevel The lowest level [logger] hears; default: `LASSO_LOG`, else warn.
     * @throws InvalidApiKeyException when the key is missing or malformed.
     * @throws ConfigurationException when another setting is invalid.
     */
    constructor(
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
        logger: LogHandler? = null,
        logLevel: LogLevel? = null,
    ) : this(
        native {
            val (sink, level) = nativeLogger(logger, logLevel)
            NativeClient(
                apiKey,
                ClientOptions(
                    baseUrl = baseUrl,
                    timeoutMs = timeout?.millis(),
                    connectTimeoutMs = connectTimeout?.millis(),
                    maxRetries = maxRetries?.toLong(),
                    headers = headers,
                    proxy = proxy,
                    noProxy = noProxy,
                    caBundle = caBundle,
                    maxConnections = maxConnections?.toLong(),
                    maxResponseBytes = maxResponseBytes,
                    userAgentSuffix = userAgentSuffix,
                    allowNonstandardKey = allowNonstandardKey,
                    logLevel = level?.name?.lowercase(),
                    frontDoor = FRONT_DOOR,
                ),
                sink,
            )
        },
    )
    // endregion

    override val caller: Caller = Caller(nativeClient)

    /** `tables` operations, plus [TablesResource.waitForCompletion]. */
    override val tables: TablesResource = TablesResource(caller)

    /** `files` operations, plus [FilesResource.upload]. */
    override val files: FilesResource = FilesResource(caller)

    /** `enhance` operations, plus [EnhanceResource.waitForCompletion]. */
    override val enhance: EnhanceResource = EnhanceResource(caller)

    /** Exports of a table: `csv`, `json`, `xlsx`, `images` (in memory or to a file). */
    val export: Export = Export(caller)

    /** The base URL, without a trailing slash. */
    val baseUrl: String get() = nativeClient.baseUrl()

    /** The API key masked as `lasso_…` plus its last four characters. */
    val maskedKey: String get() = nativeClient.maskedKey()

    /**
     * A client sharing this one's connection pool (and key, base URL and headers)
     * whose calls default to [options]. Unset options keep this client's; a call's
     * own still win. Closing either closes both.
     *
     * ```kotlin
     * val patient = client.withOptions(RequestOptions(timeout = 5.minutes, maxRetries = 5))
     * patient.tables.get(tableId)
     * ```
     */
    fun withOptions(options: RequestOptions): LassoClient =
        LassoClient(native { nativeClient.withOptions(options.toNative()) })

    /**
     * Runs [block] and returns its result with the status, headers and request id of
     * the response behind it (of the last API call the block made).
     *
     * ```kotlin
     * val raw = client.withResponse { tables.get(tableId) }
     * println("${raw.status} ${raw.requestId} ${raw.data.name}")
     * ```
     *
     * Plain operations only: the helpers (`waitForCompletion`, `files.upload`, exports,
     * `iter…` flows) keep no response; a block that made no plain call raises
     * [ConfigurationException].
     */
    suspend fun <T> withResponse(block: suspend LassoClient.() -> T): RawResponse<T> {
        val capture = ResponseCapture()
        val data = withContext(capture) { block() }
        val headers = capture.headers
            ?: throw ConfigurationException(
                "withResponse: the block made no API call whose response could be kept " +
                    "(the helpers waitForCompletion, files.upload, export and the iter… flows keep none)",
            )
        return RawResponse(data, capture.status, capture.requestId, headers)
    }

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

    // region generated by lasso-codegen from crates/lasso-spec/src/client_options.rs: do not edit (run `./just codegen`): builder
    /** Builds a client from Java: `LassoClient.builder().apiKey(key).build()`. */
    class Builder internal constructor() {
        private var apiKey: String? = null
        private var baseUrl: String? = null
        private var timeout: Duration? = null
        private var connectTimeout: Duration? = null
        private var maxRetries: Int? = null
        private val headers = LinkedHashMap<String, String>()
        private var proxy: String? = null
        private var noProxy: Boolean = false
        private var caBundle: String? = null
        private var maxConnections: Int? = null
        private var maxResponseBytes: Long? = null
        private var userAgentSuffix: String? = null
        private var allowNonstandardKey: Boolean = false
        private var logger: LogHandler? = null
        private var logLevel: LogLevel? = null

        /**
         * `lasso_` + 64 hex characters; default: the `LASSO_API_KEY` environment variable. Checked
         * before any request: a missing or malformed key raises `InvalidApiKeyException`.
         */
        fun apiKey(apiKey: String?): Builder = apply { this.apiKey = apiKey }

        /**
         * The API root; default: `LASSO_BASE_URL`, else `https://hub.banditshq.com/api/v1`.
         * `http://` is accepted for loopback hosts only (e.g. `lasso-mock`).
         */
        fun baseUrl(baseUrl: String?): Builder = apply { this.baseUrl = baseUrl }

        /** Time allowed for one attempt, reading the body included. Default 60 s. */
        fun timeout(timeout: java.time.Duration?): Builder = apply { this.timeout = timeout?.toKotlinDuration() }

        /** Time allowed to establish a connection. Default 10 s. */
        fun connectTimeout(connectTimeout: java.time.Duration?): Builder = apply { this.connectTimeout = connectTimeout?.toKotlinDuration() }

        /**
         * Retries after a failed first attempt; a billed call is retried only when the server
         * cannot have acted on it. Default 2.
         */
        fun maxRetries(maxRetries: Int?): Builder = apply { this.maxRetries = maxRetries }

        /** An extra header sent with every request. */
        fun header(name: String, value: String): Builder = apply { headers[name] = value }

        /** Extra headers sent with every request (`Authorization` cannot be overridden). */
        fun headers(headers: Map<String, String>): Builder = apply { this.headers.putAll(headers) }

        /**
         * An `http://host:port` proxy for `https://` requests (CONNECT tunnels: TLS runs end to
         * end). Default: `HTTPS_PROXY` / `ALL_PROXY`, hosts in `NO_PROXY` excepted. A loopback
         * `http://` base URL never uses a proxy.
         */
        fun proxy(proxy: String?): Builder = apply { this.proxy = proxy }

        /** No proxy at all, whatever the environment says. */
        fun noProxy(noProxy: Boolean): Builder = apply { this.noProxy = noProxy }

        /**
         * Extra certificate authorities to trust, as a PEM file path or PEM text; the system's
         * store stays trusted (`SSL_CERT_FILE` and `SSL_CERT_DIR` replace it).
         */
        fun caBundle(caBundle: String?): Builder = apply { this.caBundle = caBundle }

        /**
         * Requests in flight at once; more calls wait for a free slot instead of opening more
         * sockets. Default 64.
         */
        fun maxConnections(maxConnections: Int?): Builder = apply { this.maxConnections = maxConnections }

        /**
         * The largest body read into memory, in bytes; a larger answer raises
         * `ResponseTooLargeException` (export to a path for more). Default 256 MiB.
         */
        fun maxResponseBytes(maxResponseBytes: Long?): Builder = apply { this.maxResponseBytes = maxResponseBytes }

        /** Appended to the `User-Agent`, e.g. `my-app/1.2`. */
        fun userAgentSuffix(userAgentSuffix: String?): Builder = apply { this.userAgentSuffix = userAgentSuffix }

        /** Accept keys of a format newer than this SDK (another length or alphabet). */
        fun allowNonstandardKey(allowNonstandardKey: Boolean): Builder = apply { this.allowNonstandardKey = allowNonstandardKey }

        /**
         * Hears the client's log lines: one `debug` line per attempt (method, path, status,
         * duration, attempt, request id), `info` for a retry, `warn` for a call that failed for
         * good; never the key or a body. Default: with `LASSO_LOG` set, lines at that level and
         * above go to stderr.
         */
        fun logger(logger: LogHandler?): Builder = apply { this.logger = logger }

        /** The lowest level the logger hears; default: `LASSO_LOG`, else warn. */
        fun logLevel(logLevel: LogLevel?): Builder = apply { this.logLevel = logLevel }

        /** The client. */
        fun build(): LassoClient =
            LassoClient(
                apiKey = apiKey,
                baseUrl = baseUrl,
                timeout = timeout,
                connectTimeout = connectTimeout,
                maxRetries = maxRetries,
                headers = headers,
                proxy = proxy,
                noProxy = noProxy,
                caBundle = caBundle,
                maxConnections = maxConnections,
                maxResponseBytes = maxResponseBytes,
                userAgentSuffix = userAgentSuffix,
                allowNonstandardKey = allowNonstandardKey,
                logger = logger,
                logLevel = logLevel,
            )

        override fun toString(): String = "LassoClient.Builder(baseUrl=$baseUrl)"
    }
    // endregion

    companion object {
        /** The `User-Agent` product of this front door. */
        @JvmField
        val FRONT_DOOR: String = "lasso-kotlin/$VERSION jvm/${System.getProperty("java.version")}"

        /** A builder, for Java. */
        @JvmStatic
        fun builder(): Builder = Builder()
    }
}
