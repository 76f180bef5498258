package ai.lasso

import ai.lasso.ffi.Exported
import ai.lasso.ffi.WaitStep
import java.nio.file.Path
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlinx.serialization.json.JsonElement

/**
 * The runtime of the helper methods that are not plain calls (waits, uploads,
 * exports): their signatures are generated from the helper descriptors into
 * `generated/HelperMethods.kt`, and each delegates here. The core does the work
 * (polling, streaming from and to disk, temporary file + rename); this file bridges
 * it to coroutines and shapes results for Kotlin. `@JvmSynthetic` keeps the internal
 * functions out of Java's view of the package.
 */

/** A change of a table's status or progress (0–100, `null` until the API reports one). */
data class Progress(val status: TableStatus, val progress: Double?)

/**
 * The one wait behind both `waitForCompletion`s: the core polls; this coroutine pulls
 * its steps, runs [onProgress] for each, and stops the wait when it is cancelled or
 * [onProgress] throws.
 */
@JvmSynthetic
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

/** The extraction wait's table as JSON, undecoded (the conformance runner compares it). */
@JvmSynthetic
internal suspend fun TablesResource.waitJson(
    tableId: String,
    interval: Duration,
    timeout: Duration,
    onProgress: (suspend (Progress) -> Unit)?,
    options: RequestOptions?,
): JsonElement = waitForJob(caller, "extraction", tableId, null, interval, timeout, onProgress, options)

/** A Java twin's duration, in whole milliseconds as the core takes it. */
@JvmSynthetic
internal fun java.time.Duration.toKotlinMillis(): Duration = toMillis().milliseconds

/** `POST /files` of a [path] (streamed from disk) or of [data]; the response undecoded. */
@JvmSynthetic
internal suspend fun FilesResource.uploadJson(
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
 * `GET /tables/{table_id}/export` in [format] through the core: streamed to a temporary
 * file beside [path] and renamed into place once complete and checked, or, without a
 * path, held in memory (at most the client's `maxResponseBytes`).
 */
@JvmSynthetic
internal suspend fun exportTable(
    caller: Caller,
    tableId: String,
    format: String,
    columns: List<String>?,
    path: Path?,
    options: RequestOptions?,
): Exported = native {
    caller.native().exportTable(tableId, format, columns?.joinToString(","), path?.toString(), options.toNative())
}

/** What an export to [path] wrote: where (as the core reports it), its size and headers. */
@JvmSynthetic
internal fun Exported.saved(path: Path): SavedExport =
    SavedExport(Path.of(this.path ?: path.toString()), size.toLong(), contentType, filename)

/** What an export held in memory. */
@JvmSynthetic
internal fun Exported.inMemory(): ExportedFile = ExportedFile(data ?: ByteArray(0), contentType, filename)
