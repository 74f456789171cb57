#include "emulators/media/media_error.hpp"

extern "C" {
#include <libavutil/error.h>
#include <libavutil/log.h>
}

namespace camleak::media {

std::string av_error_text(int averror) {
  char buffer[AV_ERROR_MAX_STRING_SIZE] = {};
  if (av_strerror(averror, buffer, sizeof buffer) < 0) {
    return "unknown FFmpeg error " + std::to_string(averror);
  }
  return buffer;
}

MediaError::MediaError(std::string_view what, int averror)
    : HarnessError(std::string(what) + ": " + av_error_text(averror)), averror_(averror) {}

void quiet_ffmpeg_logging() {
  av_log_set_level(AV_LOG_FATAL);
}

}  // namespace camleak::media
