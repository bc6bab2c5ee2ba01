export function App() {
  return (
    <main className="app">
      <header>
        <h1>ESAM Playground</h1>
        <p>
          Train small image classifiers with SGD, SAM and ESAM on your own GPU, and watch the
          diagnostics of Du et al., “Efficient Sharpness-aware Minimization” (ICLR 2022), live.
        </p>
      </header>
    </main>
  );
}
