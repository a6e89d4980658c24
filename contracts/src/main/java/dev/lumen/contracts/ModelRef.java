package dev.lumen.contracts;

/**
 * Reference to a registered model.
 *
 * @param id the model id in the registry ({@code models/{id}/} in object storage)
 */
public record ModelRef(String id) {
}
