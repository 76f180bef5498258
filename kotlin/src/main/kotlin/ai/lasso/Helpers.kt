package ai.lasso

import ai.lasso.ffi.WaitStep
import java.nio.file.Path
import java.util.concurrent.CompletableFuture
import kotlin.time.Duration
import kotlin.time.Duration.Companion.minutes
import kotlin.time.Duration.Companion.seconds
import kotlinx.serialization.json.JsonElement

/**
 * The hand-written helpers that are not plain calls: waiting for a table
 * ([TablesResource.waitForCompletion]), uploading ([FilesResource.upload]) and
 * exporting ([Export]). The core does the work (polling, streaming from and to
 * disk, temporary file + rename); this file shapes arguments and results for
 * Kotlin. Auto-pagination (`iter`, `iterRows`, …) is generated with the other methods.
 */

/** A change of a table's status or progress (0–100, `null` until the API reports one). */
data class Progress(val status: TableStatus, val progress: Double?)

/** `client.tables`: the generated `tables` operations, plus [waitForCompletion]. */
class TablesResource internal constructor(caller: Caller) : Tables(caller) {
    /**
     * Polls the table every [interval] until it is `completed` and returns it. A table
     * that ends `failed`, `error` or `cancelled` raises [JobFailedException] (carrying
     * the table); [timeout] passing raises [APITimeoutException] naming the last
     * status and progress ([Duration.INFINITE]: no limit). [onProgress] hears each change of status or progress, in
     * this coroutine, before the wait goes on; if it throws, the wait stops with that
     * exception. Cancelling the coroutine stops the wait and drops the poll in flight.
     * [options] apply to each poll.
     */
    suspend fun waitForCompletion(
        tableId: String,
        interval: Duration = 3.seconds,
        timeout: Duration = 5.minutes,
        onProgress: (suspend (Progress) -> Unit)? = null,
        options: RequestOptions? = null,
    ): Table {
        val table = waitJson(tableId, interval, timeout, onProgress, options)
        return decoded("tables.get") { Table.fromJson(table) }
    }

    /** [waitForCompletion] for Java; cancelling the future stops the wait. */
    @JvmOverloads
    fun waitForCompletionAsync(
        tableId: String,
        interval: java.time.Duration = java.time.Duration.ofSeconds(3),
        timeout: java.time.Duration = java.time.Duration.ofMinutes(5),
    ): CompletableFuture<Table> =
        caller.future {
            waitForCompletion(tableId, interval.toMillis().toDuration(), timeout.toMillis().toDuration())
        }

    internal suspend fun waitJson(
        tableId: String,
        interval: Duration,
        timeout: Duration,
        onProgress: (suspend (Progress) -> Unit)?,
        options: RequestOptions?,
    ): JsonElement = waitForJob(caller, "extraction", tableId, null, interval, timeout, onProgress, options)
}

/**
 * The one wait behind both `waitForCompletion`s: the core polls; this coroutine pulls
 * its steps, runs [onProgress] for each, and stops the wait when it is cancelled or
 * [onProgress] throws.
 */
internal suspend fun waitForJob(
    caller: Caller,
    job: String,
    tableId: String,
    columnKey: String?,
    interval: Duration,
    timeout: Duration,
    onProgress: (suspend (Progress) -> Unit)?,
    options: RequestOptions?,
): JsonElement {
    val wait = native {
        caller.native().waitForJob(job, tableId, columnKey, interval.millis(), timeout.millis(), options.toNative())
    }
    try {
        while (true) {
            when (val step = native { wait.nextStep() }) {
                is WaitStep.Progress -> onProgress?.invoke(Progress(TableStatus.of(step.status), step.progress))
                is WaitStep.Done -> return JsonCodec.parse(step.table)
            }
        }
    } finally {
        wait.stop()
        wait.close()
    }
}

/** `client.enhance`: the generated `enhance` operations, plus [waitForCompletion]. */
class EnhanceResource internal constructor(caller: Caller) : Enhance(caller) {
    /**
     * Polls `enhance.status` every [interval] until every cell of the enhancement (of
     * [columnKey] only, when given) is completed or failed, and returns that last
     * status: done even when some cells failed (their counts say how many). Every cell
     * failing raises [JobFailedException]; [timeout] passing raises
     * [APITimeoutException] ([Duration.INFINITE]: no limit). [onProgress] hears
     * `processing` / `completed` and the share of cells finished, in this coroutine.
     * Cancelling the coroutine stops the wait and drops the poll in flight.
     *
     * ```kotlin
     * client.enhance.bulk(tableId, columns = listOf(mapOf("key" to "description", "prompt" to "…")))
     * val status = client.enhance.waitForCompletion(tableId, columnKey = "description")
     * ```
     */
    suspend fun waitForCompletion(
        tableId: String,
        columnKey: String? = null,
        interval: Duration = 3.seconds,
        timeout: Duration = 5.minutes,
        onProgress: (suspend (Progress) -> Unit)? = null,
        options: RequestOptions? = null,
    ): EnhanceStatus {
        val status = waitForJob(caller, "enhancement", tableId, columnKey, interval, timeout, onProgress, options)
        return decoded("enhance.status") { EnhanceStatus.fromJson(status) }
    }

    /** [waitForCompletion] for Java; cancelling the future stops the wait. */
    @JvmOverloads
    fun waitForCompletionAsync(
        tableId: String,
        columnKey: String? = null,
        interval: java.time.Duration = java.time.Duration.ofSeconds(3),
        timeout: java.time.Duration = java.time.Duration.ofMinutes(5),
    ): CompletableFuture<EnhanceStatus> =
        caller.future {
            waitForCompletion(tableId, columnKey, interval.toMillis().toDuration(), timeout.toMillis().toDuration())
        }
}

private fun Long.toDuration(): Duration = with(Duration) { this@toDuration.milliseconds }

/** `client.files`: the generated `files` operations, plus [upload]. */
class FilesResource internal constructor(caller: Caller) : Files(caller) {
    /**
     * `POST /files`: uploads the file at [path], streamed from disk (never read
     * into memory whole). The file name and content type come from the path unless given.
     */
    suspend fun upload(
        path: Path,
        filename: String? = null,
        contentType: String? = null,
        options: RequestOptions? = null,
    ): FileObject = decoded("files.upload") { FileObject.fromJson(uploadJson(path, null, filename, contentType, options)) }

    /** `POST /files`: uploads [data] as a file named [filename]. */
    suspend fun upload(
        data: ByteArray,
        filename: String,
        contentType: String? = null,
        options: RequestOptions? = null,
    ): FileObject = decoded("files.upload") { FileObject.fromJson(uploadJson(null, data, filename, contentType, options)) }

    /** [upload] of a path, for Java. */
    @JvmOverloads
    fun uploadAsync(path: Path, contentType: String? = null): CompletableFuture<FileObject> =
        caller.future { upload(path, contentType = contentType) }

    internal suspend fun uploadJson(
        path: Path?,
        data: ByteArray?,
        filename: String?,
        contentType: String?,
        options: RequestOptions?,
    ): JsonElement {
        val text = native {
            caller.native().uploadFile(path?.toString(), data, filename, contentType, options.toNative())
        }
        return JsonCodec.parse(text)
    }
}

/** An export held in memory. */
class ExportedFile(
    /** The body. */
    val data: ByteArray,
    /** The `Content-Type` the server sent. */
    val contentType: String?,
    /** The file name from `Content-Disposition`, when sent. */
    val filename: String?,
) {
    override fun toString(): String = "ExportedFile(${data.size} bytes, contentType=$contentType, filename=$filename)"
}

/** An export written to disk. */
data class SavedExport(
    /** Where it was written. */
    val path: Path,
    /** Bytes written. */
    val size: Long,
    /** The `Content-Type` the server sent. */
    val contentType: String?,
    /** The file name from `Content-Disposition`, when sent. */
    val filename: String?,
)

/**
 * `client.export`: `GET /tables/{table_id}/export` as `csv`, `json`, `xlsx` or
 * `images` (a zip). With a `path`, the export is streamed to a temporary file beside
 * it and renamed into place once complete and checked, so a failure or a cancelled
 * coroutine never leaves a partial file (nor touches an existing one); without one,
 * it comes back in memory (at most the client's `maxResponseBytes`).
 * `columns` picks column keys (default: all).
 */
class Export internal constructor(private val caller: Caller) {
    /** CSV, written to [path]. */
    suspend fun csv(tableId: String, path: Path, columns: List<String>? = null, options: RequestOptions? = null): SavedExport =
        toPath(tableId, "csv", path, columns, options)

    /** CSV, in memory. */
    suspend fun csv(tableId: String, columns: List<String>? = null, options: RequestOptions? = null): ExportedFile =
        toMemory(tableId, "csv", columns, options)

    /** JSON, written to [path]. */
    suspend fun json(tableId: String, path: Path, columns: List<String>? = null, options: RequestOptions? = null): SavedExport =
        toPath(tableId, "json", path, columns, options)

    /** JSON, in memory. */
    suspend fun json(tableId: String, columns: List<String>? = null, options: RequestOptions? = null): ExportedFile =
        toMemory(tableId, "json", columns, options)

    /** Excel, written to [path]. */
    suspend fun xlsx(tableId: String, path: Path, columns: List<String>? = null, options: RequestOptions? = null): SavedExport =
        toPath(tableId, "xlsx", path, columns, options)

    /** Excel, in memory. */
    suspend fun xlsx(tableId: String, columns: List<String>? = null, options: RequestOptions? = null): ExportedFile =
        toMemory(tableId, "xlsx", columns, options)

    /** A zip of the table's images, written to [path]. */
    suspend fun images(tableId: String, path: Path, columns: List<String>? = null, options: RequestOptions? = null): SavedExport =
        toPath(tableId, "images", path, columns, options)

    /** A zip of the table's images, in memory. */
    suspend fun images(tableId: String, columns: List<String>? = null, options: RequestOptions? = null): ExportedFile =
        toMemory(tableId, "images", columns, options)

    /** Any format (`csv`, `xlsx`, `json`, `images`), written to [path]. */
    suspend fun toPath(
        tableId: String,
        format: String,
        path: Path,
        columns: List<String>? = null,
        options: RequestOptions? = null,
    ): SavedExport {
        val e = native {
            caller.native().exportTable(tableId, format, columns?.joinToString(","), path.toString(), options.toNative())
        }
        return SavedExport(Path.of(e.path ?: path.toString()), e.size.toLong(), e.contentType, e.filename)
    }

    /** Any format (`csv`, `xlsx`, `json`, `images`), in memory. */
    suspend fun toMemory(
        tableId: String,
        format: String,
        columns: List<String>? = null,
        options: RequestOptions? = null,
    ): ExportedFile {
        val e = native {
            caller.native().exportTable(tableId, format, columns?.joinToString(","), null, options.toNative())
        }
        return ExportedFile(e.data ?: ByteArray(0), e.contentType, e.filename)
    }

    /** [csv] to a file, for Java. */
    fun csvAsync(tableId: String, path: Path): CompletableFuture<SavedExport> = caller.future { csv(tableId, path) }
}
