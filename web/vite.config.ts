import { defineConfig } from 'vite';

// React without @vitejs/plugin-react (it needs Vite 8; we pin Vite 7, see DESIGN.md): esbuild compiles JSX.
export default defineConfig({
  root: __dirname,
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: 'dist',
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      // Mantine marks its modules "use client" for React Server Components; a browser bundle ignores it.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: { proxy: { '/api': 'http://localhost:8080', '/dev/outbox': 'http://localhost:8080' } },
});
