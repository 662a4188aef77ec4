import type { ReactNode } from 'react';

/** The frame of the pages one sees before signing in: sign-in, setup and invite links. */
export function AuthPage({ children }: { children: ReactNode }) {
  return (
    <main className="auth-page">
      <div className="brand auth-brand">
        <span className="brand-mark" aria-hidden="true">
          ◆
        </span>
        Pipewright
      </div>
      {children}
    </main>
  );
}
