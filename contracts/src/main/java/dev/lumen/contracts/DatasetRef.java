package dev.lumen.contracts;

/**
 * Reference to a registered dataset (validation split).
 *
 * @param id the dataset id ({@code datasets/{id}/} in object storage)
 */
public record DatasetRef(String id) {
}
