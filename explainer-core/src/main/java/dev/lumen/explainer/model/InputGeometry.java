package dev.lumen.explainer.model;

import dev.lumen.render.SaliencyMap;

/**
 * Where the original image lies inside the model input: the whole input when stretched, a centred
 * rectangle when letterboxed. Maps computed in input space go back to the original image through
 * {@link #toOriginal(SaliencyMap)}.
 *
 * @param originalWidth original image width in pixels
 * @param originalHeight original image height in pixels
 * @param inputWidth model input width in pixels
 * @param inputHeight model input height in pixels
 * @param contentX left edge of the image content in the input
 * @param contentY top edge of the image content in the input
 * @param contentWidth width of the image content in the input
 * @param contentHeight height of the image content in the input
 */
public record InputGeometry(
        int originalWidth,
        int originalHeight,
        int inputWidth,
        int inputHeight,
        int contentX,
        int contentY,
        int contentWidth,
        int contentHeight) {

    /** Whether input pixel ({@code x}, {@code y}) shows part of the image rather than padding. */
    public boolean isContent(int x, int y) {
        return x >= contentX && y >= contentY && x < contentX + contentWidth && y < contentY + contentHeight;
    }

    /**
     * The part of an input-space map that covers the image, at the content's resolution in the
     * input (so at most the model input size): aligned to the full original image, ready to be
     * stretched over it.
     */
    public SaliencyMap toOriginal(SaliencyMap inputSpace) {
        SaliencyMap atInputSize = inputSpace.resize(inputWidth, inputHeight);
        if (contentX == 0 && contentY == 0 && contentWidth == inputWidth && contentHeight == inputHeight) {
            return atInputSize;
        }
        return atInputSize.crop(contentX, contentY, contentWidth, contentHeight);
    }
}
