fn main() -> std::process::ExitCode {
    defuse::cli::main()
}
