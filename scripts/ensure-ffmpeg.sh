#!/usr/bin/env bash
# Makes sure Debian's ffmpeg is installed: the worker decodes one frame of each video
# with it (server/media/poster-frame.ts; without it a video is ingested with its
# metadata and no poster frame). Installs the package with apt-get when it is missing,
# as scripts/ensure-nginx.sh does for nginx; never downloads a build of its own.
# FFMPEG_PATH points elsewhere if you have your own. Prints the binary's path last.
set -euo pipefail
find_ffmpeg() { if [[ -n ${FFMPEG_PATH:-} ]]; then command -v "$FFMPEG_PATH" || true; else command -v ffmpeg || true; fi; }

if [[ -z "$(find_ffmpeg)" ]]; then
  command -v apt-get >/dev/null || { echo "ensure-ffmpeg: ffmpeg is not installed and apt-get is unavailable; install ffmpeg yourself (videos get no poster frame without it)." >&2; exit 1; }
  echo "ensure-ffmpeg: ffmpeg is not installed; installing Debian's ffmpeg package with apt-get." >&2
  bash "$(dirname "$0")/apt-install.sh" --no-install-recommends ffmpeg
fi
ffmpeg=$(find_ffmpeg)
[[ -n "$ffmpeg" ]] || { echo "ensure-ffmpeg: ffmpeg is still missing after installing it" >&2; exit 1; }
echo "$ffmpeg"
