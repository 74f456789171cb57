// `camleak list [DIR]`: the name and description of every scenario under DIR (recursively).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "harness/cli/commands.hpp"
#include "harness/core/errors.hpp"
#include "harness/scenario/loader.hpp"

namespace camleak::cli {

void add_list_command(CLI::App& app, CommandResult& result) {
  auto* cmd = app.add_subcommand("list", "List the scenarios in a directory, recursively");
  auto dir = std::make_shared<std::string>("scenarios");
  cmd->add_option("dir", *dir, "Directory to search (default: scenarios)");
  cmd->callback([dir, &result] {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::is_directory(*dir, ec)) {
      throw InputError(Diagnostic{.file = *dir, .message = "not a directory"});
    }
    std::vector<std::string> files;
    for (auto it = fs::recursive_directory_iterator(*dir, ec); !ec && it != fs::end(it);
         it.increment(ec)) {
      const auto ext = it->path().extension().string();
      if (it->is_regular_file() && (ext == ".yaml" || ext == ".yml")) {
        files.push_back(it->path().string());
      }
    }
    std::sort(files.begin(), files.end());
    size_t width = 0;
    std::vector<std::pair<std::string, scenario::ScenarioSummary>> found;
    for (const auto& f : files) {
      if (auto summary = scenario::read_summary(f)) {
        width = std::max(width, f.size());
        found.emplace_back(f, *summary);
      }
    }
    for (const auto& [file, s] : found) {
      std::printf("%-*s  %s%s%s\n", static_cast<int>(width), file.c_str(), s.name.c_str(),
                  s.description.empty() ? "" : ": ", s.description.c_str());
    }
    result.exit_code = 0;
  });
}

}  // namespace camleak::cli
