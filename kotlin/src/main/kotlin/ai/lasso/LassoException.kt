package ai.lasso

import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.booleanOrNull
import kotlinx.serialization.json.doubleOrNull
import kotlinx.serialization.json.intOrNull
import kotlin.math.roundToLong
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds

/**
 * The fields an error carries besides its message: the API's error envelope, when
 * there was a response. Fields the error does not have are `null`.
 */
class ErrorFields(
    /** The core's stable error code (`not_found`, `timeout`, …). */
    val kind: String? = null,
    /** HTTP status of the response, when there was one. */
    val statusCode: Int? = null,
    /** The body's `error_type` as sent (documented or not). */
    val errorType: String? = null,
    /** The request id: quote it to Lasso support. */
    val requestId: String? = null,
    /** Newer API: the body's detail code, e.g. `stale_write`. */
    val code: String? = null,
    /** Newer API, with `stale_write`: when the resource last changed (refetch, then retry). */
    val currentUpdatedAt: String? = null,
    /** Newer API: the attribute an error concerns (its id). */
    val attributeId: String? = null,
    /** Newer API: the attribute an error concerns (its key). */
    val attributeKey: String? = null,
    /** Newer API: whether the same payload may be retried. */
    val retryable: Boolean? = null,
    /** Newer API: free-form details. */
    val details: JsonElement? = null,
    /** The response body as received (capped at 4 KiB). */
    val rawBody: String? = null,
    /** The whole response body when it was JSON. */
    val body: JsonElement? = null,
    /** How long the server asked to wait (`Retry-After`). */
    val retryAfter: Duration? = null,
) {
    internal companion object {
        /** The common fields of the core's `Error::to_fields()` object. */
        fun of(o: JsonObject): ErrorFields =
            ErrorFields(
                kind = o.text("kind"),
                statusCode = (o["status_code"] as? JsonPrimitive)?.intOrNull,
                errorType = o.text("error_type"),
                requestId = o.text("request_id"),
                code = o.text("code"),
                currentUpdatedAt = o.text("current_updated_at"),
                attributeId = o.text("attribute_id"),
                attributeKey = o.text("attribute_key"),
                retryable = (o["retryable"] as? JsonPrimitive)?.takeIf { !it.isString }?.booleanOrNull,
                details = o["details"]?.takeIf { it != JsonNull },
                rawBody = o.text("raw_body"),
                body = o["body"]?.takeIf { it != JsonNull },
                retryAfter =
                    (o["retry_after"] as? JsonPrimitive)?.takeIf { !it.isString }?.doubleOrNull?.let {
                        (it * 1000).roundToLong().milliseconds
                    },
            )
    }
}

/** A string field of an error object, or `null`. */
internal fun JsonObject.text(key: String): String? =
    (this[key] as? JsonPrimitive)?.takeIf { it.isString }?.content

/**
 * Base class of every error the SDK throws. Catch the subclass
 * (`catch (e: NotFoundException)`) rather than matching on the message; the
 * subclasses, one per kind of failure, are generated from `crates/lasso-spec`
 * (`Exceptions.kt`), with the same names as in Python and Node (`…Exception` for `…Error`).
 *
 * The message never contains the API key; at most `lasso_…` and its last four characters.
 */
open class LassoException(message: String, fields: ErrorFields = ErrorFields()) : RuntimeException(message) {
    /** The core's stable error code (`not_found`, `rate_limited`, `timeout`, …). */
    val kind: String? = fields.kind
    /** HTTP status of the response, or `null` when there was none (connection, configuration…). */
    val statusCode: Int? = fields.statusCode
    /** The body's `error_type` as sent, e.g. `not_found`; `null` when absent. */
    val errorType: String? = fields.errorType
    /** The request id (body `request_id`, else the `x-request-id` header): quote it to support. */
    val requestId: String? = fields.requestId
    /** The body's detail code of newer API versions (e.g. `stale_write`), else `null`. */
    val code: String? = fields.code
    /** With `stale_write`: when the resource last changed, so it can be fetched again; else `null`. */
    val currentUpdatedAt: String? = fields.currentUpdatedAt
    /** The attribute an error concerns (its id), else `null`. */
    val attributeId: String? = fields.attributeId
    /** The attribute an error concerns (its key), else `null`. */
    val attributeKey: String? = fields.attributeKey
    /** Newer API: whether the same payload may be retried, else `null`. */
    val retryable: Boolean? = fields.retryable
    /** Newer API: free-form details, else `null`. */
    val details: JsonElement? = fields.details
    /** The response body as received, capped at 4 KiB; `null` when there was no response. */
    val rawBody: String? = fields.rawBody
    /** The whole response body when it was JSON, else `null`. */
    val body: JsonElement? = fields.body
    /** How long the server asked to wait (`Retry-After`), else `null`. */
    val retryAfter: Duration? = fields.retryAfter

    /** The whole JSON body (`body`): the name the official SDKs give it. */
    val rawPayload: JsonElement?
        get() = body

    /** The error's message (never `null`). */
    override val message: String
        get() = super.message ?: ""

    override fun toString(): String {
        val extra = listOfNotNull(statusCode?.let { "status $it" }, requestId?.let { "request_id $it" })
        val suffix = if (extra.isEmpty()) "" else " (${extra.joinToString(", ")})"
        return "${this::class.java.name}: $message$suffix"
    }

    internal companion object {
        /** The exception for the core error whose fields are this JSON text (`NativeException.Lasso`). */
        fun fromNative(fieldsJson: String): LassoException {
            val o =
                runCatching { JsonCodec.parse(fieldsJson) as JsonObject }
                    .getOrElse {
                        return LassoException("internal error in the Lasso SDK: unreadable error fields")
                    }
            val fields = ErrorFields.of(o)
            val message = o.text("message") ?: ""
            val make = ERROR_CLASSES[fields.kind] ?: return LassoException(message, fields)
            return make(message, fields, o)
        }
    }
}
