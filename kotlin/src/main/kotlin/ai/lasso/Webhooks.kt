package ai.lasso

import ai.lasso.ffi.constructWebhookEvent
import ai.lasso.ffi.signWebhook
import ai.lasso.ffi.verifyWebhook
import kotlin.time.Duration
import kotlinx.serialization.json.JsonObject

/**
 * Verifying webhook deliveries: pass the raw body as received (bytes or text,
 * before any JSON parsing), the `X-Lasso-Signature` header and your secret (or
 * several, while rotating). A failure raises [WebhookVerificationException]
 * (answer the delivery with a 4xx); its message never contains a secret.
 */
object Webhooks {
    /**
     * Verifies [signature] against [payload]. With [tolerance], the event's
     * `timestamp` must also be that close to now (replayed deliveries fail).
     */
    @JvmStatic
    fun verify(payload: ByteArray, signature: String?, secrets: List<String>, tolerance: Duration? = null) {
        native { verifyWebhook(payload, signature, secrets, tolerance?.millis()) }
    }

    /** [verify] with the body as text (UTF-8). */
    @JvmStatic
    fun verify(payload: String, signature: String?, secrets: List<String>, tolerance: Duration? = null) =
        verify(payload.toByteArray(), signature, secrets, tolerance)

    /** [verify] with one secret. */
    @JvmStatic
    fun verify(payload: ByteArray, signature: String?, secret: String) = verify(payload, signature, listOf(secret))

    /** Verifies like [verify], then returns the event. */
    @JvmStatic
    fun constructEvent(
        payload: ByteArray,
        signature: String?,
        secrets: List<String>,
        tolerance: Duration? = null,
    ): JsonObject {
        val text = native { constructWebhookEvent(payload, signature, secrets, tolerance?.millis()) }
        return JsonCodec.parse(text) as JsonObject
    }

    /** [constructEvent] with the body as text (UTF-8). */
    @JvmStatic
    fun constructEvent(payload: String, signature: String?, secrets: List<String>, tolerance: Duration? = null) =
        constructEvent(payload.toByteArray(), signature, secrets, tolerance)

    /** The `X-Lasso-Signature` value of [payload] signed with [secret] (for tests of your handler). */
    @JvmStatic
    fun sign(payload: ByteArray, secret: String): String = native { signWebhook(payload, secret) }

    /** [sign] with the body as text (UTF-8). */
    @JvmStatic
    fun sign(payload: String, secret: String): String = sign(payload.toByteArray(), secret)
}
