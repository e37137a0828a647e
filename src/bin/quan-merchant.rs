fn main() {
    quan_widget::merchant::start();
}
