#pragma once
// std::visit(overloaded{[](const A&) {...}, [](const B&) {...}}, v): one lambda per alternative,
// so a variant that gains an alternative stops compiling wherever it is not handled (unlike an
// `if constexpr` chain, which silently skips it).
namespace camleak {

template <class... Handlers>
struct overloaded : Handlers... {
  using Handlers::operator()...;
};
template <class... Handlers>
overloaded(Handlers...) -> overloaded<Handlers...>;

}  // namespace camleak
