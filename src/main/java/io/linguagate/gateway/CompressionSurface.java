package io.linguagate.gateway;

import io.linguagate.plan.RequestShape;

/**
 * What the compression step needs to know about the API a request came in on.
 *
 * @param shape     lists the request's texts
 * @param model     the target model, for the token encoding and the price ({@code ""} when unknown)
 * @param estimated whether the target's tokenizer is not public, so token counts are an approximation (Claude:
 *                  counted with the fallback encoding; {@code x-compression-tokenizer: estimate})
 */
record CompressionSurface(RequestShape shape, String model, boolean estimated) {
}
