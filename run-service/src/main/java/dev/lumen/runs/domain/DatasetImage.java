package dev.lumen.runs.domain;

/**
 * One image of a dataset.
 *
 * @param imageId stable id within the dataset (its file name)
 * @param key object-storage key of the bytes
 */
public record DatasetImage(String imageId, String key) {
}
